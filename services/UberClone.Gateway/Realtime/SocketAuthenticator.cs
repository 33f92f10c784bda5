using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Net.Http.Headers;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Realtime;

/// <summary>
/// Authenticates a /ws upgrade with the same token validation as the JWT bearer scheme, without the authentication
/// and authorization middleware: those keep their state (principal, tickets, handler, scope) for the whole life of a
/// request, which for a socket is hours. Once validated, the token is removed from the request so the connection
/// does not hold it either: only the caller (user id, role) remains.
/// </summary>
public sealed class SocketAuthenticator(IOptionsMonitor<JwtBearerOptions> bearer, RevokedSessions revoked)
{
    /// <summary>Offered by clients that pass their token as a subprotocol: ["uberclone", "access_token.{jwt}"].</summary>
    public const string SubProtocol = "uberclone";
    private const string TokenProtocolPrefix = "access_token.";
    private const int MaxTokenLength = 4096;
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>The caller, or null when the request carries no valid token (the caller answers 401).</summary>
    public Task<SocketCaller?> AuthenticateAsync(HttpContext context) => ValidateAsync(TakeToken(context));

    /// <summary>
    /// The caller of a token and until when its socket may stay open (the token's expiry plus the clock skew REST
    /// allows too), or null when the token is missing or not valid.
    /// </summary>
    public async Task<SocketCaller?> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) return null;
        var parameters = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var result = await Handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid) return null;
        var userId = result.ClaimsIdentity.FindFirst("sub")?.Value;
        var role = result.ClaimsIdentity.FindFirst(TokenService.RoleClaim)?.Value;
        var validUntil = new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero) + parameters.ClockSkew;
        var issuedAt = new DateTimeOffset(((JsonWebToken)result.SecurityToken).IssuedAt, TimeSpan.Zero);
        var sessionId = result.ClaimsIdentity.FindFirst(TokenService.SessionClaim)?.Value;
        if (string.IsNullOrEmpty(userId) || !Roles.IsKnown(role) || revoked.IsRevoked(userId, issuedAt, sessionId)) return null;
        // A support account that must set up 2-step verification first (ADR 0052) gets no desk feed either: REST tells it why.
        if (result.ClaimsIdentity.HasClaim(TokenService.TwoStepSetupClaim, "required")) return null;
        return new SocketCaller(new Caller(userId, role!), validUntil, issuedAt, sessionId);
    }

    /// <summary>
    /// The token from ?access_token=, a Sec-WebSocket-Protocol entry "access_token.{jwt}" or an Authorization: Bearer
    /// header, in that order; every place it could be is cleared from the request.
    /// </summary>
    public static string? TakeToken(HttpContext context)
    {
        var request = context.Request;
        var token = FromQuery(request.QueryString) ?? FromSubProtocols(request.Headers.SecWebSocketProtocol) ?? FromAuthorization(request.Headers.Authorization);
        if (request.QueryString.HasValue)
        {
            var target = context.Features.GetRequiredFeature<IHttpRequestFeature>();
            target.QueryString = "";
            target.RawTarget = target.PathBase + target.Path;
        }
        request.Headers.Remove(HeaderNames.Authorization);
        return token;
    }

    /// <summary>After the upgrade: the requested subprotocols (one of them may be the token) are not needed any more.</summary>
    public static void ForgetSubProtocols(HttpContext context) => context.Request.Headers.Remove(HeaderNames.SecWebSocketProtocol);

    private static string? FromQuery(QueryString query)
    {
        if (!query.HasValue) return null;
        // Parsed here rather than through Request.Query, which would cache the parsed values for the request's lifetime.
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.Value);
        return values.TryGetValue("access_token", out var token) && token.Count > 0 ? token.ToString() : null;
    }

    private static string? FromSubProtocols(Microsoft.Extensions.Primitives.StringValues headers)
    {
        foreach (var protocols in headers)
        {
            foreach (var protocol in (protocols ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (protocol.StartsWith(TokenProtocolPrefix, StringComparison.Ordinal)) return protocol[TokenProtocolPrefix.Length..];
            }
        }
        return null;
    }

    private static string? FromAuthorization(Microsoft.Extensions.Primitives.StringValues header)
    {
        var value = header.ToString();
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : null;
    }
}

/// <summary>Who a socket belongs to, until when its token lets it stay open, when that token was issued and for which session (its <c>sid</c>).</summary>
public sealed record SocketCaller(Caller Caller, DateTimeOffset ValidUntil, DateTimeOffset IssuedAt, string? SessionId = null);
