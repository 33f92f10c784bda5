using UberClone.Payments.Cards;
using UberClone.Payments.Credit;
using UberClone.Payments.Extensions;
using UberClone.Payments.Grpc;
using UberClone.Payments.Operations;
using UberClone.Payments.Payouts;
using UberClone.Payments.Refunds;
using UberClone.Payments.Sandbox;
using UberClone.Payments.Webhooks;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<PaymentGrpcService>();
app.MapStripeWebhook();
app.MapRefunds();
app.MapTripPayments();
app.MapSandboxCheckout();
app.MapCards();
app.MapCredit();
app.MapPayouts();
app.MapSandboxOnboarding();

app.Run();
