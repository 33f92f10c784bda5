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

    /// <summary>
    /// The vehicle classes a calling driver is approved to drive now (ADR 0022), comma-separated; empty: none. The gateway,
    /// which owns the approval, sends it on the calls that need it (a driver's quests) and drops any copy a client sends.
    /// </summary>
    public const string DriverClassesHeader = "x-driver-classes";

    /// <summary>The classes <see cref="DriverClassesHeader"/> names; none when the gateway sent none.</summary>
    public static IReadOnlyList<string> DriverClassesFrom(ServerCallContext context) =>
        (context.RequestHeaders.GetValue(DriverClassesHeader) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool IsRider => Role == Roles.Rider;
    public bool IsDriver => Role == Roles.Driver;
    public bool IsOperator => Role == Roles.Operator;

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

    /// <summary>
    /// The gateway itself, for internal calls that carry several users' requests (each item names its user). Not a
    /// user role: <see cref="From"/> refuses it, so no user-facing call can be made as the gateway.
    /// </summary>
    public static Metadata GatewayMetadata() => new() { { UserIdHeader, Roles.Gateway }, { RoleHeader, Roles.Gateway } };

    /// <summary>PERMISSION_DENIED unless the call comes from the gateway (<see cref="GatewayMetadata"/>).</summary>
    public static void RequireGateway(ServerCallContext context)
    {
        if (context.RequestHeaders.GetValue(RoleHeader) != Roles.Gateway)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "Only the gateway can make this call."));
        }
    }
}

public static class Roles
{
    public const string Rider = "rider";
    public const string Driver = "driver";

    /// <summary>
    /// The support desk: reads any trip, its payments and messages, refunds and cancels. Nobody signs up as one; the
    /// gateway creates the configured account (Operators:Bootstrap).
    /// </summary>
    public const string Operator = "operator";

    /// <summary>The gateway calling on behalf of many users at once; never a user's role.</summary>
    public const string Gateway = "gateway";

    public static bool IsKnown(string? role) => role is Rider or Driver or Operator;

    /// <summary>The roles anyone may sign up as.</summary>
    public static bool MaySignUp(string? role) => role is Rider or Driver;
}
