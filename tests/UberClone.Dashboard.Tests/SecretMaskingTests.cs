using UberClone.Dashboard.Resources;

namespace UberClone.Dashboard.Tests;

public sealed class SecretMaskingTests
{
    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "x-otlp-api-key=abc123")]
    [InlineData("STRIPE_SECRET_KEY", "sk_test_1")]
    [InlineData("Jwt__SigningKey", "very-secret")]
    [InlineData("ConnectionStrings__mongo_password", "pw")]
    public void Variables_that_name_a_secret_are_hidden(string name, string value)
    {
        var masked = SecretMasking.Apply(name, value);

        Assert.True(masked.IsMasked);
        Assert.DoesNotContain(value, masked.Value);
    }

    [Fact]
    public void Passwords_inside_connection_strings_are_hidden_and_the_rest_stays_readable()
    {
        var url = SecretMasking.Apply("ConnectionStrings__tripsdb", "mongodb://admin:s3cret@localhost:27017/tripsdb?authSource=admin");
        var keyValue = SecretMasking.Apply("ConnectionStrings__db", "Host=db;Username=app;Password=s3cret;Database=x");
        var plain = SecretMasking.Apply("ConnectionStrings__kafka", "127.0.0.1:9092");

        Assert.Equal($"mongodb://admin:{SecretMasking.Mask}@localhost:27017/tripsdb?authSource=admin", url.Value);
        Assert.Equal($"Host=db;Username=app;Password={SecretMasking.Mask};Database=x", keyValue.Value);
        Assert.Equal(("127.0.0.1:9092", false), (plain.Value, plain.IsMasked));
    }
}
