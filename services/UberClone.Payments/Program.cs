using UberClone.Payments.Extensions;
using UberClone.Payments.Grpc;
using UberClone.Payments.Sandbox;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<PaymentGrpcService>();
app.MapSandboxCheckout();

app.Run();
