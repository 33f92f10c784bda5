using UberClone.Drivers.Extensions;
using UberClone.Drivers.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<DriverGrpcService>();

app.Run();
