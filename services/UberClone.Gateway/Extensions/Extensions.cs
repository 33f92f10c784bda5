using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using UberClone.Contracts;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Identity;
using UberClone.Gateway.Proxy;
using UberClone.Gateway.Realtime;
using UberClone.Gateway.Realtime.Forwarding;

namespace UberClone.Gateway.Extensions;

public static class Extensions
{
    private const long MaxRequestBodyBytes = 64 * 1024;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Type = Problems.Problems.TypeFor(c.ProblemDetails.Status ?? 500);
        });
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddAuthentication();

        builder.Services.AddReverseProxy()
            .LoadFromMemory(ServiceRoutes.Routes, ServiceRoutes.Clusters)
            .AddTransforms(ProxyTransforms.Apply)
            .AddServiceDiscoveryDestinationResolver();

        builder.Services.AddGrpcClient<DriverService.DriverServiceClient>(o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Drivers}"));

        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<ClientCommands>();
        builder.AddRealtimeForwarding();
        return builder;
    }

    private static void AddAuthentication(this IHostApplicationBuilder builder)
    {
        var jwt = builder.Configuration.GetSection("Jwt").Get<JwtOptions>() ?? new JwtOptions();
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(jwt));
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = jwt.Issuer,
                ValidAudience = jwt.Audience,
                IssuerSigningKey = jwt.Key,
                NameClaimType = "name",
                RoleClaimType = TokenService.RoleClaim,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            // Browsers cannot set headers on a WebSocket upgrade: the socket carries its token in the query.
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    if (context.HttpContext.Request.Path.StartsWithSegments("/ws") && context.Request.Query["access_token"] is { Count: > 0 } token)
                    {
                        context.Token = token;
                    }
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization();
    }

    /// <summary>Each gateway instance reads every realtime event from "now" in a group of its own.</summary>
    private static void AddRealtimeForwarding(this IHostApplicationBuilder builder)
    {
        var instanceId = InstanceId(builder.Configuration);
        builder.AddMessaging(o =>
        {
            o.GroupId = $"{Resources.Gateway}-{instanceId}";
            o.StartFromLatest = true;
        });
        builder.AddMessageHandler<DriverTripRequestCommand, TripRequestForwarder>(Topics.DriverTripRequest, idempotent: false);
        builder.AddMessageHandler<TripCreatedIntegrationEvent, TripCreatedForwarder>(Topics.TripCreated, idempotent: false);
        builder.AddMessageHandler<TripDriverAssignedIntegrationEvent, DriverAssignedForwarder>(Topics.TripDriverAssigned, idempotent: false);
        builder.AddMessageHandler<TripNoDriversFoundIntegrationEvent, NoDriversFoundForwarder>(Topics.TripNoDriversFound, idempotent: false);
        builder.AddMessageHandler<DriverLocationUpdatedIntegrationEvent, DriverLocationForwarder>(Topics.DriverLocationUpdated, idempotent: false);
        builder.AddMessageHandler<PaymentSessionCreatedIntegrationEvent, PaymentSessionCreatedForwarder>(Topics.PaymentSessionCreated, idempotent: false);
        builder.AddMessageHandler<PaymentSucceededIntegrationEvent, PaymentSucceededForwarder>(Topics.PaymentSucceeded, idempotent: false);
        builder.AddMessageHandler<PaymentFailedIntegrationEvent, PaymentFailedForwarder>(Topics.PaymentFailed, idempotent: false);
        builder.AddMessageHandler<PaymentRefundedIntegrationEvent, PaymentRefundedForwarder>(Topics.PaymentRefunded, idempotent: false);
    }

    /// <summary>service.instance.id from OTEL_RESOURCE_ATTRIBUTES (set per replica by the AppHost), else random.</summary>
    private static string InstanceId(IConfiguration configuration)
    {
        var attributes = configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "";
        foreach (var pair in attributes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts is ["service.instance.id", { Length: > 0 } id]) return id;
        }
        return Guid.NewGuid().ToString("N")[..8];
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGuestSessionApi();
        app.MapRealtime();
        app.MapReverseProxy(proxy => proxy.UseServiceUnavailableProblems());
        app.MapFallback("/api/{**rest}", () => Results.Problem(statusCode: 404, detail: "No such API route."));
        return app;
    }
}
