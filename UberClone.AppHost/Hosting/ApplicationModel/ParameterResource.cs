using System.Security.Cryptography;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A value given to the model from outside (Aspire's parameter.v0): configuration `Parameters:{name}` when set,
/// otherwise its <see cref="DefaultValue"/>, or (when <see cref="Generate"/>) a random value made once per AppHost run. Secrets never appear in a
/// published manifest; publishers emit an input for them.
/// </summary>
public sealed class ParameterResource(string name, bool secret, bool generate, string? configuredValue, string? defaultValue = null) : Resource(name)
{
    private readonly Lazy<string> _value = new(() => configuredValue ?? defaultValue
        ?? (generate ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : throw new InvalidOperationException(
            $"Parameter '{name}' has no value: set Parameters:{name} in the AppHost's configuration.")));

    public bool Secret { get; } = secret;

    /// <summary>Whether a missing value is generated (manifest: default.generate).</summary>
    public bool Generate { get; } = generate;

    /// <summary>The value when none is configured.</summary>
    public string? DefaultValue { get; } = defaultValue;

    /// <summary>Whether a manifest gives <see cref="DefaultValue"/> as the input's default (Aspire's <c>publishValueAsDefault</c>; default.value).</summary>
    public bool PublishDefault { get; init; }

    public string Value => _value.Value;
}

/// <summary>An environment variable whose value is a parameter (kept as a reference so publishers can emit {p.value}).</summary>
public sealed record EnvironmentParameterAnnotation(string Name, ParameterResource Parameter) : IResourceAnnotation;

/// <summary>An environment variable with a constant value (kept so publishers can emit it).</summary>
public sealed record EnvironmentValueAnnotation(string Name, string Value) : IResourceAnnotation;
