using Grpc.Core;

namespace UberClone.Contracts.Identity;

/// <summary>
/// Who is calling a service. The gateway authenticates the user and sends these headers (as gRPC metadata or
/// HTTP headers); it strips any client-supplied copies, so services only ever see the gateway's word.
/// </summary>
public sealed record Caller(string UserId, string Role)
{
    public const string UserIdHeader = "x-user-id";
    public const string RoleHeader = "x-user-role";

    public bool IsRider => Role == Roles.Rider;
    public bool IsDriver => Role == Roles.Driver;

    /// <summary>The authenticated caller, or an Unauthenticated RpcException when the gateway did not identify one.</summary>
    public static Caller From(ServerCallContext context)
    {
        var userId = context.RequestHeaders.GetValue(UserIdHeader);
        var role = context.RequestHeaders.GetValue(RoleHeader);
        if (string.IsNullOrWhiteSpace(userId) || !Roles.IsKnown(role))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "The caller is not identified."));
        }
        return new Caller(userId, role!);
    }

    public Caller RequireRole(string role) => Role == role
        ? this
        : throw new RpcException(new Status(StatusCode.PermissionDenied, $"Only a {role} can do this."));

    public Metadata ToMetadata() => new() { { UserIdHeader, UserId }, { RoleHeader, Role } };
}

public static class Roles
{
    public const string Rider = "rider";
    public const string Driver = "driver";

    public static bool IsKnown(string? role) => role is Rider or Driver;
}
