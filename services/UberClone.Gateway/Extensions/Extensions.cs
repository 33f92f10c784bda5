using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using UberClone.Contracts;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Trips;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;
using UberClone.Gateway.Mail;
using UberClone.Gateway.Idempotency;
using UberClone.Gateway.OpenApi;
using UberClone.Gateway.Accounts.TwoStep;
using UberClone.Gateway.RateLimiting;
using UberClone.Gateway.Operations;
using UberClone.Gateway.Places;
using UberClone.Gateway.Proxy;
using UberClone.Gateway.Sharing;
using UberClone.Gateway.SplitFares;
using UberClone.Gateway.RiderMail;
using UberClone.Gateway.DriverMail;
using UberClone.Gateway.Realtime;
using UberClone.Gateway.Realtime.Forwarding;
using UberClone.Gateway.BusinessRides;
using UberClone.Gateway.Earnings;
using UberClone.Messaging;
using UberClone.Storage.Retention;

namespace UberClone.Gateway.Extensions;

public static class Extensions
{
    private const long MaxRequestBodyBytes = 64 * 1024;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (Problems.Problems.IsDefaultType(c.ProblemDetails.Type))
            {
                c.ProblemDetails.Type = Problems.Problems.TypeFor(c.ProblemDetails.Status ?? 500);
            }
            Problems.BodyErrors.Describe(c);
        });
        // Malformed JSON, a wrong content type or an oversized body is the client's error (4xx), not a 500.
        // Endpoints throw for a body they cannot read, in every environment, so the problem can say which field (BodyErrors);
        // that is the client's mistake, not logged as the server's.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<ExceptionHandlerOptions>(o =>
        {
            o.StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            o.SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException;
        });
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddGatewayAuthentication();
        builder.AddAccounts();
        builder.AddRateLimits();
        builder.AddIdempotency();
        builder.AddGatewayOpenApi();

        builder.Services.AddReverseProxy()
            .LoadFromMemory(ServiceRoutes.Routes, ServiceRoutes.Clusters)
            .AddTransforms(ProxyTransforms.Apply)
            .AddServiceDiscoveryDestinationResolver();

        builder.Services.AddGrpcClient<DriverService.DriverServiceClient>(o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Drivers}"));
        builder.Services.AddGrpcClient<TripService.TripServiceClient>(o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Trips}"));
        builder.Services.AddGrpcClient<UberClone.Contracts.Help.HelpService.HelpServiceClient>(o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Trips}"));
        builder.Services.AddGrpcClient<UberClone.Contracts.Promotions.PromotionService.PromotionServiceClient>(o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Trips}"));
        builder.Services.AddGrpcClient<UberClone.Contracts.Schedules.RideScheduleService.RideScheduleServiceClient>(o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Trips}"));
        builder.Services.AddGrpcClient<UberClone.Contracts.Payments.PaymentService.PaymentServiceClient>(o => o.Address = new Uri($"http://_{Resources.GrpcEndpoint}.{Resources.Payments}"));
        builder.Services.AddSingleton<SnapshotReader>();

        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<LocationBatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LocationBatcher>());
        builder.Services.AddSingleton<ClientCommands>();
        builder.Services.AddHostedService<SocketExpiry>();
        builder.AddRealtimeForwarding();
        builder.AddRiderMail();
        builder.AddPayoutMail();
        // A driver's rating standing changed (ADR 0055): warned by mail, or their approval taken away, once per change.
        builder.AddGroupMessageHandler<TripDriverRatingStandingIntegrationEvent, DriverRatingStandingHandler>(
            Topics.TripDriverRatingStanding, RiderMail.RiderMailHandlers.Group);
        return builder;
    }

    /// <summary>JWT bearer validation for REST, the socket authenticator for /ws, token issuing (configuration section "Jwt").</summary>
    public static void AddGatewayAuthentication(this IHostApplicationBuilder builder)
    {
        var jwt = builder.Configuration.GetSection("Jwt").Get<JwtOptions>() ?? new JwtOptions();
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(jwt));
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<RevokedSessions>();
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
                ClockSkew = jwt.ClockSkew,
            };
            // /ws does not come here: SocketAuthenticator validates its token with these parameters.
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    // Sessions ended everywhere, or this one ended (RevokedSessions): its access tokens stop working at once, not at expiry.
                    var revoked = context.HttpContext.RequestServices.GetRequiredService<RevokedSessions>();
                    if (context.SecurityToken is Microsoft.IdentityModel.JsonWebTokens.JsonWebToken token
                        && revoked.IsRevoked(token.Subject, new DateTimeOffset(token.IssuedAt, TimeSpan.Zero),
                            token.TryGetPayloadValue<string>(TokenService.SessionClaim, out var sid) ? sid : null))
                    {
                        context.Fail("The session was signed out; sign in again.");
                        return Task.CompletedTask;
                    }
                    context.Principal = TokenService.SlimPrincipal(context.Principal!);
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<SocketAuthenticator>();
    }

    private static void AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentDatabase(Resources.AccountsDb);
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton(AccountDeletionOptions.From(builder.Configuration));
        builder.Services.AddSingleton<AccountErasure>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AccountErasure>());
        builder.Services.AddSingleton<PasswordResets>();
        builder.Services.AddSingleton<EmailVerifications>();
        builder.Services.AddSingleton<EmailChanges>();
        builder.Services.AddSingleton<BusinessProfiles>();
        builder.Services.AddSingleton<TwoSteps>();
        // Read at start, so a gateway outside Development without the key stops here, saying so, rather than at a sign-in.
        var twoStepKey = TwoStepSecrets.KeyFrom(builder.Configuration, builder.Environment);
        var previousTwoStepKeys = TwoStepSecrets.PreviousKeysFrom(builder.Configuration);
        builder.Services.AddSingleton(sp => twoStepKey is { } key
            ? new TwoStepSecrets(key, previousTwoStepKeys)
            : TwoStepSecrets.ForThisProcess(sp.GetRequiredService<ILogger<TwoStepSecrets>>(), previousTwoStepKeys));
        builder.Services.AddSingleton(TwoStepOptions.From(builder.Configuration));
        builder.Services.AddSingleton<PasswordResetRequests>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PasswordResetRequests>());
        builder.Services.AddSingleton<AccountNotices>();
        builder.Services.AddSingleton<DriverApprovals>();
        builder.Services.AddHostedService<DriverPermitExpiry>();
        builder.Services.AddHostedService<DriverTimeZoneBackfill>();
        builder.AddMail();
        builder.AddDriverMail();
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<AccountStore>().PasswordResets, "password_resets", MailedCode.ExpiresAtField, TimeSpan.FromDays(1)));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<AccountStore>().EmailVerifications, "email_verifications", MailedCode.ExpiresAtField, TimeSpan.FromDays(1)));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<AccountStore>().EmailChanges, "email_changes", MailedCode.ExpiresAtField, TimeSpan.FromDays(1)));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<AccountStore>().WorkEmailCodes, "work_email_codes", MailedCode.ExpiresAtField, TimeSpan.FromDays(1)));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<AccountStore>().SignInChallenges, "sign_in_challenges", SignInChallenge.ExpiresAtField, TimeSpan.FromDays(1)));
        builder.Services.AddSingleton(Operations.OperatorBootstrapOptions.From(builder.Configuration));
        builder.Services.AddHostedService<Operations.OperatorBootstrap>();
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<AccountStore>().RefreshTokens, "refresh_tokens", RefreshToken.ExpiresAtField, RefreshToken.RetentionAfterExpiry));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<AccountStore>().Sessions, "sessions", Session.ExpiresAtField, RefreshToken.RetentionAfterExpiry));
        builder.Services.AddSingleton<Operations.SupportActionRecorder>();
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<AccountStore>().SupportActions, "support_actions", Operations.SupportAction.AtMsField, Operations.SupportAction.Retention));
    }

    private static void AddRateLimits(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<RateLimits>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddRateLimiter(o => o.OnRejected = RateLimits.OnRejectedAsync);
        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<RateLimits>((o, limits) => o.GlobalLimiter = limits.Global);
    }

    /// <summary>Each gateway instance reads every realtime event from "now" in a group of its own.</summary>
    private static void AddRealtimeForwarding(this IHostApplicationBuilder builder)
    {
        var instanceId = ServiceInstance.IdFrom(builder.Configuration);
        builder.Services.AddSingleton(new GatewayInstance(instanceId));
        builder.AddMessaging(o =>
        {
            o.GroupId = $"{Resources.Gateway}-{instanceId}";
            o.StartFromLatest = true;
        });
        builder.AddRealtimeRoutes();
        // Sessions ended everywhere: every replica, including one started later, must know them for as long as an
        // access token issued before could still be valid. The accounts' outbox carries them to Kafka.
        var jwt = builder.Configuration.GetSection("Jwt").Get<JwtOptions>() ?? new JwtOptions();
        builder.AddInstanceMessageHandler<AccountSessionsRevokedIntegrationEvent, SessionsRevokedHandler>(
            Topics.AccountSessionsRevoked, jwt.AccessTokenLifetime + jwt.ClockSkew);
        builder.AddOutboxRelay();
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // A declared oversize body is refused before a byte of it is read; Kestrel's limit covers chunked bodies.
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > MaxRequestBodyBytes)
            {
                await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(413, $"Request bodies are limited to {MaxRequestBodyBytes / 1024} KB."));
                return;
            }
            await next();
        });
        app.UseWebSockets();
        app.UseRealtime();
        app.UseAuthentication();
        app.UseTwoStepSetupGate();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseSupportActionLog();

        app.MapGatewayOpenApi();
        app.MapAccountsApi();
        app.MapSessionsApi();
        app.MapMailPreferencesApi();
        app.MapTripPeopleApi();
        app.MapSharedTripApi();
        app.MapSavedPlacesApi();
        app.MapOperatorUsersApi();
        app.MapSupportActionsApi();
        app.MapUserMailsApi();
        app.MapUserSessionsApi();
        app.MapUserPromotionsApi();
        app.MapAwaitingWaiversApi();
        app.MapDriverApprovalApi();
        app.MapReceiptCopyApi();
        app.MapStatementApi();
        app.MapEarningsExportApi();
        app.MapBusinessReportApi();
        app.MapSplitFareApi();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseBooleanBodies();
            proxy.UseDriverPermits();
            proxy.UseIdempotencyKeys();
            proxy.UseServiceUnavailableProblems();
        });
        app.MapFallback("/api/{**rest}", () => Results.Problem(statusCode: 404, detail: "No such API route.")).RequireAuthorization();
        return app;
    }
}
