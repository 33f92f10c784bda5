using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace UberClone.AppHost.Publishing;

/// <summary>
/// Turns an Aspire manifest into the Kubernetes shape Aspirate makes of it: a folder per resource with a Deployment
/// (a StatefulSet when it has volumes), a Service and a kustomization (ConfigMap `{name}-env` for plain settings,
/// Secret `{name}-secrets` for connection strings and secret parameters), and a root kustomization listing them.
/// References resolve to Service DNS names: {kafka.connectionString} → kafka:9092, {trips.bindings.http.url} → http://trips:8080.
/// </summary>
internal sealed partial class KustomizePublisher(JsonObject manifest, Func<string, string?> configuredParameter)
{
    private readonly JsonObject _resources = manifest["resources"]!.AsObject();
    private readonly Dictionary<string, string> _parameterValues = [];

    public async Task PublishAsync(string outputDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var folders = new List<string>();
        foreach (var (name, node) in _resources)
        {
            var resource = node!.AsObject();
            var type = resource["type"]!.GetValue<string>();
            if (type is not ("container.v0" or "container.v1" or "project.v0")) continue;
            folders.Add(name);
            await WriteResourceAsync(Path.Combine(outputDirectory, name), name, resource, cancellationToken);
        }
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "kustomization.yaml"),
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" + string.Concat(folders.Select(f => $"  - {f}\n")), cancellationToken);
        // Generated secret values stay on the machine that published them.
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, ".gitignore"), "*/secrets.env\n", cancellationToken);
    }

    private async Task WriteResourceAsync(string directory, string name, JsonObject resource, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var plain = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secret = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in resource["env"]?.AsObject() ?? [])
        {
            var (resolved, isSecret) = Resolve(value!.GetValue<string>());
            (isSecret || key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) ? secret : plain)[key] = resolved;
        }
        var ports = (resource["bindings"]?.AsObject() ?? []).Select(b => (Name: b.Key, Port: b.Value!["targetPort"]!.GetValue<int>())).ToList();
        var volumes = resource["volumes"]?.AsArray().Select(v => (Name: v!["name"]!.GetValue<string>(), Target: v["target"]!.GetValue<string>())).ToList() ?? [];
        var image = resource["image"]?.GetValue<string>() ?? $"{name}:latest";
        var workload = volumes.Count > 0 ? "statefulset.yaml" : "deployment.yaml";

        // .NET services map ServiceDefaults' /health (ready: dependencies, Kafka consumers assigned and replayed) and
        // /alive (the process answers) on their "http" endpoint: Kubernetes routes to a pod only when it is ready.
        var probes = resource["type"]?.GetValue<string>() == "project.v0" && ports.Any(p => p.Name == "http");
        await File.WriteAllTextAsync(Path.Combine(directory, workload), Workload(name, image, ports, volumes, secret.Count > 0, probes), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "service.yaml"), Service(name, ports), cancellationToken);
        var kustomization = new StringBuilder($"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - {workload}\n  - service.yaml\n");
        kustomization.Append($"configMapGenerator:\n  - name: {name}-env\n    literals:\n");
        foreach (var (key, value) in plain) kustomization.Append($"      - {Quote($"{key}={value}")}\n");
        if (secret.Count > 0)
        {
            kustomization.Append($"secretGenerator:\n  - name: {name}-secrets\n    envs:\n      - secrets.env\n");
            await File.WriteAllTextAsync(Path.Combine(directory, "secrets.env"), string.Concat(secret.Select(s => $"{s.Key}={s.Value}\n")), cancellationToken);
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "kustomization.yaml"), kustomization.ToString(), cancellationToken);
    }

    private static string Workload(string name, string image, List<(string Name, int Port)> ports, List<(string Name, string Target)> volumes, bool hasSecrets, bool probes)
    {
        var kind = volumes.Count > 0 ? "StatefulSet" : "Deployment";
        var yaml = new StringBuilder($"""
            apiVersion: apps/v1
            kind: {kind}
            metadata:
              name: {name}
              labels:
                app: {name}
            spec:
            {(volumes.Count > 0 ? $"  serviceName: {name}\n" : "")}  replicas: 1
              selector:
                matchLabels:
                  app: {name}
              template:
                metadata:
                  labels:
                    app: {name}
                spec:
                  containers:
                    - name: {name}
                      image: {Quote(image)}
                      imagePullPolicy: IfNotPresent
                      envFrom:
                        - configMapRef:
                            name: {name}-env

            """);
        if (hasSecrets) yaml.Append($"            - secretRef:\n                name: {name}-secrets\n");
        if (ports.Count > 0)
        {
            yaml.Append("          ports:\n");
            foreach (var (portName, port) in ports) yaml.Append($"            - name: {portName}\n              containerPort: {port}\n");
        }
        if (probes)
        {
            yaml.Append("          readinessProbe:\n            httpGet:\n              path: /health\n              port: http\n            periodSeconds: 5\n            failureThreshold: 3\n");
            yaml.Append("          livenessProbe:\n            httpGet:\n              path: /alive\n              port: http\n            initialDelaySeconds: 10\n            periodSeconds: 10\n            failureThreshold: 6\n");
        }
        if (volumes.Count > 0)
        {
            yaml.Append("          volumeMounts:\n");
            foreach (var (volume, target) in volumes) yaml.Append($"            - name: {volume}\n              mountPath: {target}\n");
            yaml.Append("  volumeClaimTemplates:\n");
            foreach (var (volume, _) in volumes)
            {
                yaml.Append($"    - metadata:\n        name: {volume}\n      spec:\n        accessModes: [\"ReadWriteOnce\"]\n        resources:\n          requests:\n            storage: 1Gi\n");
            }
        }
        return yaml.ToString();
    }

    private static string Service(string name, List<(string Name, int Port)> ports)
    {
        var yaml = new StringBuilder($"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: ClusterIP\n  selector:\n    app: {name}\n  ports:\n");
        foreach (var (portName, port) in ports) yaml.Append($"    - name: {portName}\n      port: {port}\n      targetPort: {port}\n");
        return yaml.ToString();
    }

    /// <summary>Replaces every {resource.path} expression; reports whether a secret parameter was involved.</summary>
    private (string Value, bool IsSecret) Resolve(string value)
    {
        var isSecret = false;
        var resolved = Expression().Replace(value, match =>
        {
            var (text, secret) = ResolveOne(match.Groups["resource"].Value, match.Groups["path"].Value);
            isSecret |= secret;
            return text;
        });
        return (resolved, isSecret);
    }

    private (string Value, bool IsSecret) ResolveOne(string name, string path)
    {
        var resource = _resources[name]?.AsObject() ?? throw new InvalidOperationException($"The manifest references '{name}', which it does not define.");
        var parts = path.Split('.');
        return parts switch
        {
            ["connectionString"] => Resolve(resource["connectionString"]!.GetValue<string>()),
            ["value"] => (ParameterValue(name, resource), resource["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true),
            ["bindings", var binding, var property] => (BindingProperty(name, resource, binding, property), false),
            _ => throw new InvalidOperationException($"Unsupported manifest expression {{{name}.{path}}}."),
        };
    }

    private static string BindingProperty(string name, JsonObject resource, string binding, string property)
    {
        var b = resource["bindings"]?[binding] ?? throw new InvalidOperationException($"'{name}' has no binding '{binding}'.");
        var port = b["targetPort"]!.GetValue<int>();
        return property switch
        {
            "host" => name,
            "port" or "targetPort" => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "url" => $"{b["scheme"]!.GetValue<string>()}://{name}:{port}",
            _ => throw new InvalidOperationException($"Unsupported binding property '{property}'."),
        };
    }

    private string ParameterValue(string name, JsonObject parameter)
    {
        if (_parameterValues.TryGetValue(name, out var known)) return known;
        var value = configuredParameter(name)
            ?? parameter["inputs"]?["value"]?["default"]?["value"]?.GetValue<string>()
            ?? (parameter["inputs"]?["value"]?["default"]?["generate"] is not null
                ? RandomNumberGenerator.GetHexString(64, lowercase: true)
                : throw new InvalidOperationException($"Parameter '{name}' has no value: set Parameters:{name} when publishing."));
        return _parameterValues[name] = value;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    [GeneratedRegex(@"\{(?<resource>[a-z0-9-]+)\.(?<path>[A-Za-z.]+)\}")]
    private static partial Regex Expression();
}
