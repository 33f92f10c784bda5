using Aspire.Hosting;

var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, RandomizePorts = true });
var first = builder.AddProject<Projects.EnvEcho>("first").WithHttpEndpoint();
builder.AddProject<Projects.EnvEcho>("second").WithHttpEndpoint().WithReference(first).WaitFor(first);
builder.Build().Run();
