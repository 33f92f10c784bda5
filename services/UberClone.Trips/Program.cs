using UberClone.Trips.Extensions;
using UberClone.Trips.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<TripGrpcService>();
app.MapGrpcService<HelpGrpcService>();
app.MapGrpcService<PromotionGrpcService>();
app.MapGrpcService<QuestGrpcService>();
app.MapGrpcService<RideScheduleGrpcService>();

app.Run();
