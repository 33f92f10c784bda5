namespace UberClone.Contracts;

/// <summary>
/// Resource names: the contract between the AppHost, the services, the tests and the manifest.
/// They appear unchanged in ConnectionStrings__{name}, services__{name}__…, OTEL_SERVICE_NAME and manifest keys.
/// </summary>
public static class Resources
{
    public const string Kafka = "kafka";
    public const string Mongo = "mongo";
    public const string TripsDb = "tripsdb";
    public const string DriversDb = "driversdb";
    public const string PaymentsDb = "paymentsdb";
    public const string AccountsDb = "accountsdb";
    public const string Trips = "trips";
    public const string Drivers = "drivers";
    public const string Payments = "payments";
    public const string Gateway = "gateway";
    public const string Web = "web";

    /// <summary>Where the gateway's mail goes (ConnectionStrings:mail): MailPit-like catcher locally, SMTP when deployed.</summary>
    public const string Mail = "mail";

    /// <summary>The gateway's JWT signing key: one per AppHost run (every replica gets the same), a secret input when deployed.</summary>
    public const string JwtSigningKey = "jwt-signing-key";

    /// <summary>
    /// The key the gateway encrypts 2-step verification secrets under (TwoStep__SecretKey, 32 bytes in base64; ADR 0052):
    /// a fixed value in the AppHost's Development settings (so local data survives a restart), a secret input when deployed.
    /// </summary>
    public const string TwoStepSecretKey = "two-step-secret-key";

    /// <summary>
    /// The keys 2-step secrets were encrypted under before <see cref="TwoStepSecretKey"/> (TwoStep__PreviousSecretKeys,
    /// comma-separated; ADR 0052): empty until a key is rotated, then the old key, so secrets sealed under it still open
    /// and are sealed again under the new one as they are used. A secret input with an empty default when deployed.
    /// </summary>
    public const string TwoStepPreviousSecretKeys = "two-step-previous-secret-keys";

    /// <summary>
    /// The support desk account's password (the gateway makes the account, <see cref="OperatorEmail"/>, at start): a
    /// fixed value in the AppHost's Development settings, a secret input when deployed.
    /// </summary>
    public const string OperatorPassword = "operator-password";

    /// <summary>The support desk account the AppHost asks the gateway for.</summary>
    public const string OperatorEmail = "ops@uberclone.local";

    /// <summary>Endpoint names of a service resource: REST/health on http (HTTP/1.1), gRPC on grpc (HTTP/2).</summary>
    public const string HttpEndpoint = "http";
    public const string GrpcEndpoint = "grpc";
}
