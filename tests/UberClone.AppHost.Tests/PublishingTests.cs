using System.Diagnostics;
using System.Text.Json.Nodes;
using UberClone.Contracts;
using YamlDotNet.RepresentationModel;

namespace UberClone.AppHost.Tests;

/// <summary>`--publisher manifest`: Aspire's manifest of the product's model, and the Kubernetes (kustomize) output made from it.</summary>
public sealed class PublishingTests : IAsyncLifetime
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "uberclone-publish-" + Guid.NewGuid().ToString("N"));
    private JsonObject _resources = null!;

    public async ValueTask InitializeAsync()
    {
        var appHost = Path.Combine(AppContext.BaseDirectory, "UberClone.AppHost.dll");
        var start = new ProcessStartInfo("dotnet", [appHost, "--publisher", "manifest", "--output-path", _output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
            // As `dotnet run --project UberClone.AppHost -- --publisher …` runs it (launchSettings.json): local-only
            // settings must still stay out of the output.
            Environment = { ["DOTNET_ENVIRONMENT"] = "Development" },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.True(process.ExitCode == 0, await stderr);
        _resources = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_output, "aspire-manifest.json"), TestContext.Current.CancellationToken))!["resources"]!.AsObject();
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_output, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_checked_in_aspire_manifest_is_what_publishing_writes_now()
    {
        // The repository's aspire-manifest/ is what an operator applies; a model change (a new reference) must regenerate it.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "UberClone.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var checkedIn = Path.Combine(root.FullName, "aspire-manifest");
        var written = Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "secrets.env") // generated per publish, git-ignored
            .Select(f => Path.GetRelativePath(_output, f)).Order().ToList();
        Assert.NotEmpty(written);
        foreach (var file in written)
        {
            var expected = Resolved(await File.ReadAllTextAsync(Path.Combine(_output, file), TestContext.Current.CancellationToken), Path.GetDirectoryName(Path.Combine(_output, file))!);
            var path = Path.Combine(checkedIn, file);
            Assert.True(File.Exists(path), $"aspire-manifest/{file} is not checked in: run `dotnet run --project UberClone.AppHost -- --publisher manifest --output-path aspire-manifest`.");
            Assert.True(expected == Resolved(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken), Path.GetDirectoryName(path)!),
                $"aspire-manifest/{file} differs from what publishing writes now: run `dotnet run --project UberClone.AppHost -- --publisher manifest --output-path aspire-manifest`.");
        }
    }

    /// <summary>The manifest's project and build paths are relative to where it is written: compared as the files they name.</summary>
    private static string Resolved(string text, string directory) =>
        System.Text.RegularExpressions.Regex.Replace(text, "\"(path|context|dockerfile)\": \"([^\"]+)\"",
            m => $"\"{m.Groups[1].Value}\": \"{Path.GetFullPath(Path.Combine(directory, m.Groups[2].Value))}\"");

    [Fact]
    public async Task An_unknown_publisher_is_a_clear_error_and_exit_code_2()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "UberClone.AppHost.dll"), "--publisher", "helm"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("error: Unknown publisher 'helm'. Known: manifest.", stderr.Trim());
    }

    [Fact]
    public void Manifest_declares_every_resource_with_aspire_types()
    {
        Assert.Equal("container.v0", Type(Resources.Kafka));
        Assert.Equal("container.v0", Type(Resources.Mongo));
        Assert.Equal("parameter.v0", Type("mongo-password"));
        Assert.Equal("parameter.v0", Type(Resources.JwtSigningKey));
        Assert.Equal("parameter.v0", Type(Resources.TwoStepSecretKey));
        foreach (var db in new[] { Resources.TripsDb, Resources.DriversDb, Resources.PaymentsDb, Resources.AccountsDb }) Assert.Equal("value.v0", Type(db));
        foreach (var project in new[] { Resources.Trips, Resources.Drivers, Resources.Payments, Resources.Gateway }) Assert.Equal("project.v0", Type(project));
        Assert.Equal("container.v1", Type(Resources.Web));
        Assert.Equal("container.v0", Type(Resources.Mail));
        Assert.Equal("Endpoint=smtp://{mail.bindings.smtp.host}:{mail.bindings.smtp.port}", _resources[Resources.Mail]!["connectionString"]!.GetValue<string>());
    }

    [Fact]
    public void Projects_get_references_as_expressions_and_no_otel_endpoint()
    {
        var trips = _resources[Resources.Trips]!;
        var env = trips["env"]!.AsObject();
        Assert.Equal("{kafka.connectionString}", env["ConnectionStrings__kafka"]!.GetValue<string>());
        Assert.Equal("{tripsdb.connectionString}", env["ConnectionStrings__tripsdb"]!.GetValue<string>());
        Assert.Equal("Http2", env["Kestrel__Endpoints__grpc__Protocols"]!.GetValue<string>());
        Assert.DoesNotContain(env, e => e.Key.StartsWith("OTEL_EXPORTER", StringComparison.Ordinal));
        Assert.Equal("http2", trips["bindings"]!["grpc"]!["transport"]!.GetValue<string>());
        Assert.EndsWith("services/UberClone.Trips/UberClone.Trips.csproj", trips["path"]!.GetValue<string>());
        // Trips holds the upfront price on the rider's card while booking: it calls payments (ADR 0027).
        Assert.Equal("{payments.bindings.grpc.url}", env["services__payments__grpc__0"]!.GetValue<string>());
        // Drivers choosing rides for later to reserve are shown those near them that their car takes: it calls drivers (ADR 0047).
        Assert.Equal("{drivers.bindings.grpc.url}", env["services__drivers__grpc__0"]!.GetValue<string>());

        var gateway = _resources[Resources.Gateway]!["env"]!.AsObject();
        Assert.Equal("{trips.bindings.grpc.url}", gateway["services__trips__grpc__0"]!.GetValue<string>());
        Assert.Equal("{jwt-signing-key.value}", gateway["Jwt__SigningKey"]!.GetValue<string>());
        Assert.Equal("{two-step-secret-key.value}", gateway["TwoStep__SecretKey"]!.GetValue<string>());
        Assert.Equal("{two-step-previous-secret-keys.value}", gateway["TwoStep__PreviousSecretKeys"]!.GetValue<string>());
        Assert.Equal("{operator-password.value}", gateway["Operators__Bootstrap__Password"]!.GetValue<string>());
        Assert.Equal(Resources.OperatorEmail, gateway["Operators__Bootstrap__Email"]!.GetValue<string>());
        Assert.Equal("{mail.connectionString}", gateway["ConnectionStrings__mail"]!.GetValue<string>());
        Assert.True(_resources[Resources.Gateway]!["bindings"]!["http"]!["external"]!.GetValue<bool>());
    }

    [Fact]
    public void Secrets_are_inputs_in_the_manifest_never_values()
    {
        foreach (var parameter in new[] { Resources.JwtSigningKey, Resources.OperatorPassword, Resources.TwoStepSecretKey })
        {
            var input = _resources[parameter]!["inputs"]!["value"]!;
            Assert.True(input["secret"]!.GetValue<bool>());
            Assert.NotNull(input["default"]!["generate"]);
        }
        // The keys before a rotation of the 2-step key: a secret input whose default is none, not generated (ADR 0052).
        var previous = _resources[Resources.TwoStepPreviousSecretKeys]!["inputs"]!["value"]!;
        Assert.True(previous["secret"]!.GetValue<bool>());
        Assert.Equal("", previous["default"]!["value"]!.GetValue<string>());
        Assert.Null(previous["default"]!["generate"]);
        // The AppHost's Development settings give the support desk a local password; it never reaches the manifest.
        Assert.DoesNotContain("support-desk-local", File.ReadAllText(Path.Combine(_output, "aspire-manifest.json")));
        // Nor does its local 2-step secret key (appsettings.Development.json): a deployment encrypts under a key of its own.
        Assert.DoesNotContain("dHdvLXN0ZXAtc2VjcmV0cy1vZi10aGlzLW1hY2hpbmU=", File.ReadAllText(Path.Combine(_output, "aspire-manifest.json")));
        var secrets = File.ReadAllLines(Path.Combine(_output, "kubernetes", Resources.Gateway, "secrets.env"));
        var password = Assert.Single(secrets, l => l.StartsWith("Operators__Bootstrap__Password=", StringComparison.Ordinal));
        Assert.True(password.Length >= "Operators__Bootstrap__Password=".Length + 32, "generated for this publish (the manifest's minLength 32)");
        Assert.DoesNotContain("support-desk-local", password);
        // None until a rotation: the gateway reads the empty setting as no previous key.
        Assert.Contains("TwoStep__PreviousSecretKeys=", secrets);
        Assert.Contains("{mongo-password.value}", _resources[Resources.TripsDb]!["connectionString"]!.GetValue<string>());
    }

    [Fact]
    public void Kubernetes_output_has_a_folder_per_workload_resolving_references_to_service_names()
    {
        var kubernetes = Path.Combine(_output, "kubernetes");
        var root = Yaml(Path.Combine(kubernetes, "kustomization.yaml"));
        var listed = ((YamlSequenceNode)root["resources"]).Children.Select(c => c.ToString()).ToList();
        Assert.Equal(new[] { Resources.Kafka, Resources.Mail, Resources.Mongo, Resources.Trips, Resources.Drivers, Resources.Payments, Resources.Gateway, Resources.Web }.Order(), listed.Order());

        Assert.True(File.Exists(Path.Combine(kubernetes, Resources.Mongo, "statefulset.yaml")), "a resource with volumes is a StatefulSet");
        var deployment = Yaml(Path.Combine(kubernetes, Resources.Trips, "deployment.yaml"));
        Assert.Equal("trips", ((YamlMappingNode)deployment["metadata"])["labels"]["app"].ToString());
        // A .NET service gets probes on its health endpoints; a container image (Kafka) does not.
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["spec"])["containers"])[0];
        Assert.Equal("/health", container["readinessProbe"]["httpGet"]["path"].ToString());
        Assert.Equal("http", container["readinessProbe"]["httpGet"]["port"].ToString());
        Assert.Equal("/alive", container["livenessProbe"]["httpGet"]["path"].ToString());
        Assert.DoesNotContain("Probe", File.ReadAllText(Path.Combine(kubernetes, Resources.Kafka, "deployment.yaml")));

        var gatewayConfig = File.ReadAllText(Path.Combine(kubernetes, Resources.Gateway, "kustomization.yaml"));
        Assert.Contains("services__trips__grpc__0=http://trips:8081", gatewayConfig);
        Assert.Contains("services__payments__grpc__0=http://payments:8081", File.ReadAllText(Path.Combine(kubernetes, Resources.Trips, "kustomization.yaml")));
        var gatewaySecrets = File.ReadAllText(Path.Combine(kubernetes, Resources.Gateway, "secrets.env"));
        Assert.Contains("ConnectionStrings__kafka=kafka:9092", gatewaySecrets);
        Assert.Contains("ConnectionStrings__mail=Endpoint=smtp://mail:1025", gatewaySecrets);
        Assert.Matches("Jwt__SigningKey=[0-9a-f]{64}", gatewaySecrets);
        Assert.DoesNotContain("Jwt__SigningKey", gatewayConfig);
        Assert.Matches("TwoStep__SecretKey=[0-9a-f]{64}", gatewaySecrets); // 32 bytes as hex digits, which the gateway takes
        Assert.DoesNotContain("TwoStep__SecretKey", gatewayConfig);

        // One generated password, the same in the server and in every database's connection string.
        var mongoSecrets = File.ReadAllText(Path.Combine(kubernetes, Resources.Mongo, "secrets.env"));
        var password = mongoSecrets.Split('\n').Single(l => l.StartsWith("MONGO_INITDB_ROOT_PASSWORD=", StringComparison.Ordinal)).Split('=')[1];
        Assert.Contains($"mongodb://admin:{password}@mongo:27017/tripsdb?", File.ReadAllText(Path.Combine(kubernetes, Resources.Trips, "secrets.env")));
        Assert.Equal("*/secrets.env\n", File.ReadAllText(Path.Combine(kubernetes, ".gitignore")));
    }

    private string Type(string resource) => _resources[resource]?["type"]?.GetValue<string>() ?? $"<missing {resource}>";

    private static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
