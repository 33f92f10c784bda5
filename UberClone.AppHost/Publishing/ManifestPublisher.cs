using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Kafka;
using Aspire.Hosting.MailPit;
using Aspire.Hosting.MongoDB;

namespace UberClone.AppHost.Publishing;

/// <summary>
/// Writes the model as Aspire's manifest (`--publisher manifest --output-path …`): the deployment-time shape of every
/// resource, with references as expressions ({kafka.connectionString}, {trips.bindings.http.url}) and secrets as
/// parameter inputs. In a deployment the embedded defaults are replaced by the images real Aspire uses: Kafka
/// (confluent-local, KRaft) and MongoDB with a generated root password.
/// </summary>
internal sealed class ManifestPublisher(DistributedApplicationModel model)
{
    public const string Schema = "https://json.schemastore.org/aspire-8.0.json";
    public const string KafkaImage = "docker.io/confluentinc/confluent-local:7.9.0";
    public const string MongoImage = "docker.io/library/mongo:8.2";
    public const string MailPitImage = "docker.io/axllent/mailpit:v1.27";
    public const int ProjectHttpPort = 8080;
    public const int ProjectGrpcPort = 8081;
    public const int NodeHttpPort = 3000;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A path not ending in .json is a folder that gets aspire-manifest.json.</summary>
    public static string ManifestPath(string outputPath) =>
        outputPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Path.GetFullPath(outputPath) : Path.Combine(Path.GetFullPath(outputPath), "aspire-manifest.json");

    public async Task<JsonObject> PublishAsync(string manifestPath, CancellationToken cancellationToken)
    {
        var manifest = Build(Path.GetDirectoryName(manifestPath)!);
        Directory.CreateDirectory(Path.GetDirectoryName(manifestPath)!);
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString(Indented) + Environment.NewLine, cancellationToken);
        return manifest;
    }

    public JsonObject Build(string manifestDirectory)
    {
        var resources = new JsonObject();
        foreach (var resource in model.Resources)
        {
            switch (resource)
            {
                case KafkaServerResource kafka:
                    resources[kafka.Name] = Kafka(kafka);
                    break;
                case MailPitResource mail:
                    resources[mail.Name] = MailPit(mail);
                    break;
                case MongoDBServerResource mongo:
                    resources[PasswordParameter(mongo)] = Parameter(PasswordParameter(mongo), secret: true, generate: true);
                    resources[mongo.Name] = Mongo(mongo);
                    break;
                case MongoDBDatabaseResource database:
                    resources[database.Name] = new JsonObject
                    {
                        ["type"] = "value.v0",
                        ["connectionString"] = MongoConnectionString(database.Parent, database.DatabaseName),
                    };
                    break;
                case ParameterResource parameter:
                    resources[parameter.Name] = Parameter(parameter.Name, parameter.Secret, parameter.Generate, parameter.PublishDefault ? parameter.DefaultValue : null);
                    break;
                case ProjectResource project:
                    resources[project.Name] = Project(project, manifestDirectory);
                    break;
                case NodeAppResource node:
                    resources[node.Name] = Node(node, manifestDirectory);
                    break;
            }
        }
        return new JsonObject { ["$schema"] = Schema, ["resources"] = resources };
    }

    private static JsonObject Kafka(KafkaServerResource kafka)
    {
        var n = kafka.Name;
        return new JsonObject
        {
            ["type"] = "container.v0",
            ["connectionString"] = $"{{{n}.bindings.tcp.host}}:{{{n}.bindings.tcp.port}}",
            ["image"] = KafkaImage,
            ["env"] = new JsonObject
            {
                ["KAFKA_LISTENERS"] = "PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:9092,PLAINTEXT_INTERNAL://0.0.0.0:9093",
                ["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT",
                ["KAFKA_ADVERTISED_LISTENERS"] = $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://{{{n}.bindings.tcp.host}}:{{{n}.bindings.tcp.port}},PLAINTEXT_INTERNAL://{{{n}.bindings.internal.host}}:{{{n}.bindings.internal.port}}",
            },
            ["bindings"] = new JsonObject
            {
                ["tcp"] = Binding("tcp", "tcp", 9092),
                ["internal"] = Binding("tcp", "tcp", 9093),
            },
        };
    }

    /// <summary>
    /// What CommunityToolkit's AddMailPit publishes: MailPit catches the mail (its web UI on "http"). For mail that
    /// reaches people, a deployment points the gateway's ConnectionStrings__mail at a real SMTP server instead.
    /// </summary>
    private static JsonObject MailPit(MailPitResource mail)
    {
        var n = mail.Name;
        return new JsonObject
        {
            ["type"] = "container.v0",
            ["connectionString"] = $"Endpoint=smtp://{{{n}.bindings.smtp.host}}:{{{n}.bindings.smtp.port}}",
            ["image"] = MailPitImage,
            ["bindings"] = new JsonObject
            {
                ["smtp"] = Binding("tcp", "tcp", 1025),
                ["http"] = Binding("http", "http", 8025),
            },
        };
    }

    private static JsonObject Mongo(MongoDBServerResource mongo) => new()
    {
        ["type"] = "container.v0",
        ["connectionString"] = MongoConnectionString(mongo, null),
        ["image"] = MongoImage,
        ["env"] = new JsonObject
        {
            ["MONGO_INITDB_ROOT_USERNAME"] = "admin",
            ["MONGO_INITDB_ROOT_PASSWORD"] = $"{{{PasswordParameter(mongo)}.value}}",
        },
        ["volumes"] = new JsonArray(new JsonObject { ["name"] = $"uberclone-{mongo.Name}-data", ["target"] = "/data/db", ["readOnly"] = false }),
        ["bindings"] = new JsonObject { ["tcp"] = Binding("tcp", "tcp", 27017) },
    };

    private static string MongoConnectionString(MongoDBServerResource mongo, string? database) =>
        $"mongodb://admin:{{{PasswordParameter(mongo)}.value}}@{{{mongo.Name}.bindings.tcp.host}}:{{{mongo.Name}.bindings.tcp.port}}"
        + (database is null ? "" : "/" + database) + "?authSource=admin&authMechanism=SCRAM-SHA-256";

    private static string PasswordParameter(MongoDBServerResource mongo) => $"{mongo.Name}-password";

    private static JsonObject Parameter(string name, bool secret, bool generate, string? defaultValue = null)
    {
        var input = new JsonObject { ["type"] = "string", ["secret"] = secret };
        if (generate)
        {
            input["default"] = new JsonObject { ["generate"] = new JsonObject { ["minLength"] = 32, ["special"] = false } };
        }
        else if (defaultValue is not null)
        {
            input["default"] = new JsonObject { ["value"] = defaultValue };
        }
        return new JsonObject { ["type"] = "parameter.v0", ["value"] = $"{{{name}.inputs.value}}", ["inputs"] = new JsonObject { ["value"] = input } };
    }

    private JsonObject Project(ProjectResource project, string manifestDirectory)
    {
        var env = new JsonObject
        {
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        };
        var endpoints = project.Annotations.OfType<EndpointAnnotation>().ToList();
        if (endpoints.Count == 1 && endpoints[0].Name == "http")
        {
            env["HTTP_PORTS"] = $"{{{project.Name}.bindings.http.targetPort}}";
        }
        else
        {
            // Several named endpoints (REST + gRPC): Kestrel binds each by name, gRPC over cleartext HTTP/2.
            foreach (var endpoint in endpoints)
            {
                env[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = $"http://+:{{{project.Name}.bindings.{endpoint.Name}.targetPort}}";
                if (endpoint.Transport == "http2") env[$"Kestrel__Endpoints__{endpoint.Name}__Protocols"] = "Http2";
            }
        }
        AddReferences(project, env);
        return new JsonObject
        {
            ["type"] = "project.v0",
            ["path"] = Relative(manifestDirectory, project.ProjectPath),
            ["env"] = env,
            ["bindings"] = Bindings(endpoints, e => e.Transport == "http2" ? ProjectGrpcPort : ProjectHttpPort),
        };
    }

    private JsonObject Node(NodeAppResource node, string manifestDirectory)
    {
        var env = new JsonObject
        {
            ["NODE_ENV"] = "production",
            ["PORT"] = $"{{{node.Name}.bindings.http.targetPort}}",
            ["NEXT_TELEMETRY_DISABLED"] = "1",
        };
        AddReferences(node, env);
        return new JsonObject
        {
            ["type"] = "container.v1",
            ["build"] = new JsonObject
            {
                ["context"] = Relative(manifestDirectory, node.WorkingDirectory),
                ["dockerfile"] = Relative(manifestDirectory, Path.Combine(node.WorkingDirectory, "Dockerfile")),
            },
            ["env"] = env,
            ["bindings"] = Bindings(node.Annotations.OfType<EndpointAnnotation>(), _ => NodeHttpPort),
        };
    }

    /// <summary>References become expressions: connection strings, service discovery URLs, parameters, constants.</summary>
    private static void AddReferences(IResource resource, JsonObject env)
    {
        foreach (var reference in resource.Annotations.OfType<ResourceRelationshipAnnotation>().Where(r => r.Type == "Reference").Select(r => r.Resource))
        {
            if (reference is IResourceWithConnectionString)
            {
                env[$"ConnectionStrings__{reference.Name}"] = $"{{{reference.Name}.connectionString}}";
            }
            if (reference is IResourceWithServiceDiscovery)
            {
                foreach (var endpoint in reference.Annotations.OfType<EndpointAnnotation>())
                {
                    env[$"services__{reference.Name}__{endpoint.Name}__0"] = $"{{{reference.Name}.bindings.{endpoint.Name}.url}}";
                }
            }
        }
        foreach (var value in resource.Annotations.OfType<EnvironmentValueAnnotation>())
        {
            env[value.Name] = value.Value;
        }
        foreach (var parameter in resource.Annotations.OfType<EnvironmentParameterAnnotation>())
        {
            env[parameter.Name] = $"{{{parameter.Parameter.Name}.value}}";
        }
    }

    private static JsonObject Bindings(IEnumerable<EndpointAnnotation> endpoints, Func<EndpointAnnotation, int> targetPort)
    {
        var bindings = new JsonObject();
        foreach (var endpoint in endpoints)
        {
            var binding = Binding(endpoint.UriScheme, endpoint.Transport, targetPort(endpoint));
            if (endpoint.IsExternal) binding["external"] = true;
            bindings[endpoint.Name] = binding;
        }
        return bindings;
    }

    private static JsonObject Binding(string scheme, string transport, int targetPort) => new()
    {
        ["scheme"] = scheme,
        ["protocol"] = "tcp",
        ["transport"] = transport,
        ["targetPort"] = targetPort,
    };

    private static string Relative(string from, string to) => Path.GetRelativePath(from, to).Replace('\\', '/');
}
