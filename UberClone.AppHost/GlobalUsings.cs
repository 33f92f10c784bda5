global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
global using Aspire.Hosting.MongoDB;
global using Microsoft.Extensions.Configuration;
