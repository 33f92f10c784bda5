using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace UberClone.Storage.Mongo;

/// <summary>
/// Documents travel through System.Text.Json in both providers, so they look the same in either. JSON numbers
/// become Int32/Int64/Double and come back as plain JSON numbers (relaxed extended JSON); strings, including
/// dates written by System.Text.Json, stay strings.
/// </summary>
internal static class BsonJson
{
    private static readonly JsonWriterSettings Relaxed = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson };

    public static BsonDocument ToBson<T>(T document) =>
        BsonDocument.Parse(JsonSerializer.Serialize(document, StorageJson.Options));

    public static T FromBson<T>(BsonDocument data) =>
        JsonSerializer.Deserialize<T>(data.ToJson(Relaxed), StorageJson.Options)
        ?? throw new JsonException("A stored document is JSON null.");
}
