using System.Text.Json;
using System.Text.Json.Serialization;

namespace UberClone.Storage;

/// <summary>
/// The one JSON shape of stored documents. Both providers use it, so a database can move between them,
/// and indexed fields are known by their camelCase names.
/// </summary>
public static class StorageJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        // Shared by every store: read-only so no caller can change how the others serialize.
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
