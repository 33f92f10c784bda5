using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;

namespace UberClone.Gateway.Identity;

/// <summary>Bound from configuration section "Jwt".</summary>
public sealed class JwtOptions
{
    public const string DefaultIssuer = "uberclone-gateway";
    public const string DefaultAudience = "uberclone";

    public string Issuer { get; set; } = DefaultIssuer;
    public string Audience { get; set; } = DefaultAudience;
    /// <summary>
    /// HMAC-SHA256 key (at least 32 bytes, base64 or text). Every gateway replica needs the same one: the AppHost
    /// generates one per run; production takes it from a secret. When absent, a random per-process key is used.
    /// </summary>
    public string? SigningKey { get; set; }
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
    /// <summary>How long past its expiry a token is still accepted (clocks of issuer and clients differ a little): REST and sockets alike.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public bool HasConfiguredKey => !string.IsNullOrWhiteSpace(SigningKey);

    private SymmetricSecurityKey? _key;

    public SymmetricSecurityKey Key => _key ??= new SymmetricSecurityKey(KeyBytes());

    private byte[] KeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey)) return RandomNumberGenerator.GetBytes(32);
        var bytes = TryBase64(SigningKey) ?? Encoding.UTF8.GetBytes(SigningKey);
        return bytes.Length >= 32 ? bytes : throw new InvalidOperationException("Jwt:SigningKey must be at least 32 bytes.");
    }

    private static byte[]? TryBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }
}

public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt);

public sealed class TokenService(IOptions<JwtOptions> options, TimeProvider clock)
{
    public const string RoleClaim = "role";
    /// <summary>The session (refresh token family) the token belongs to, so one device's session can be ended (ADR 0048).</summary>
    public const string SessionClaim = "sid";

    /// <summary>On the token of a support account that must set up 2-step verification before it uses the desk (ADR 0052).</summary>
    public const string TwoStepSetupClaim = "two_step_setup";
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>
    /// Only the claims the gateway uses (sub, role, name, sid). The validated principal otherwise keeps the whole parsed token
    /// alive for as long as the request lives, which for a WebSocket is the connection's lifetime.
    /// </summary>
    public static ClaimsPrincipal SlimPrincipal(ClaimsPrincipal validated)
    {
        var claims = validated.Claims.Where(c => c.Type is "sub" or RoleClaim or "name" or SessionClaim or TwoStepSetupClaim).Select(c => new Claim(c.Type, c.Value));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer", "name", RoleClaim));
    }

    /// <param name="issuedAt">The token's iat and nbf; now unless given (at most a second ahead: a new session right after its user's sessions were ended).</param>
    /// <param name="sessionId">The session the token belongs to (its <c>sid</c>).</param>
    /// <param name="twoStepSetupRequired">
    /// A support account that must use 2-step verification and has not set it up (ADR 0052): the token says so
    /// (<see cref="TwoStepSetupClaim"/>) and reaches only the 2-step setup routes, <c>/api/auth/me</c> and signing out.
    /// </param>
    public IssuedToken Issue(string userId, string role, string name, string sessionId, DateTimeOffset? issuedAt = null, bool twoStepSetupRequired = false)
    {
        var jwt = options.Value;
        var now = issuedAt ?? clock.GetUtcNow();
        var expires = now + jwt.AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            // jti: every token is its own, even two issued in the same second (a renewal right after sign-in).
            Subject = new ClaimsIdentity([new Claim("sub", userId), new Claim(RoleClaim, role), new Claim("name", name), new Claim(SessionClaim, sessionId),
                new Claim("jti", Guid.NewGuid().ToString("N")), .. twoStepSetupRequired ? [new Claim(TwoStepSetupClaim, "required")] : Array.Empty<Claim>()]),
            SigningCredentials = new SigningCredentials(jwt.Key, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires);
    }
}
