using System.Text.RegularExpressions;

namespace UberClone.Storage;

/// <summary>A collection's name and indexed fields, validated because both end up inside SQL and index definitions.</summary>
internal sealed partial class CollectionDefinition
{
    /// <summary>The SQLite provider's outbox table; refused for collections in every provider so databases stay portable.</summary>
    public const string OutboxName = "outbox";

    private CollectionDefinition(string name, IReadOnlyList<string> indexedFields) =>
        (Name, IndexedFields) = (name, indexedFields);

    public string Name { get; }

    public IReadOnlyList<string> IndexedFields { get; }

    public static CollectionDefinition Create(string name, IEnumerable<string> indexedFields)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(indexedFields);
        if (!CollectionName().IsMatch(name) || name == OutboxName)
        {
            throw new ArgumentException(
                $"Invalid collection name '{name}': use 1-64 characters [a-z0-9_] starting with a letter, not '{OutboxName}'.", nameof(name));
        }

        var fields = indexedFields.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var field in fields)
        {
            if (field is null || !FieldName().IsMatch(field))
            {
                throw new ArgumentException(
                    $"Invalid indexed field '{field}' for '{name}': use a top-level camelCase JSON property name of 1-64 characters [A-Za-z0-9_].",
                    nameof(indexedFields));
            }
        }
        return new CollectionDefinition(name, fields);
    }

    public void EnsureIndexed(string field)
    {
        if (!IndexedFields.Contains(field, StringComparer.Ordinal))
        {
            var declared = IndexedFields.Count == 0 ? "none" : string.Join(", ", IndexedFields);
            throw new ArgumentException(
                $"Field '{field}' is not indexed in collection '{Name}' (indexed: {declared}); declare it when opening the collection.",
                nameof(field));
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex CollectionName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex FieldName();
}
