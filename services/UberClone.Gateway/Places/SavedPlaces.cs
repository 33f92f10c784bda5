namespace UberClone.Gateway.Places;

/// <summary>A place a user named ("Home", "Work", "Gym"), to pick as a pickup or drop-off in one tap.</summary>
public sealed record SavedPlace(string Label, double Lat, double Lng);

/// <summary>
/// A user's saved places (one document per user, id = user id): at most <see cref="MaxPlaces"/>, labels unique without
/// regard to case, kept in the order they were first saved. Saving a label again moves that place; no I/O here.
/// </summary>
public sealed record SavedPlaces(IReadOnlyList<SavedPlace> Places)
{
    public const int MaxPlaces = 10;
    public const int MaxLabelLength = 30;

    public static readonly SavedPlaces None = new([]);

    /// <summary>The places with <paramref name="place"/> saved (a label already there is moved, keeping its position).</summary>
    public SavedPlaces Save(SavedPlace place)
    {
        var index = IndexOf(place.Label);
        if (index >= 0) return new SavedPlaces(Places.Select((p, i) => i == index ? place : p).ToList());
        if (Places.Count >= MaxPlaces) throw new PlaceRuleException($"You have {MaxPlaces} saved places, the most there can be; remove one first.");
        return new SavedPlaces([.. Places, place]);
    }

    /// <summary>The places without the one of <paramref name="label"/>; the same instance when there is none.</summary>
    public SavedPlaces Remove(string label) =>
        IndexOf(label) is var index and >= 0 ? new SavedPlaces(Places.Where((_, i) => i != index).ToList()) : this;

    private int IndexOf(string label)
    {
        for (var i = 0; i < Places.Count; i++)
        {
            if (string.Equals(Places[i].Label, label, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    /// <summary>A label as stored: trimmed, 1 to <see cref="MaxLabelLength"/> characters, no control characters; null otherwise.</summary>
    public static string? CleanLabel(string? label)
    {
        var trimmed = label?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLabelLength || trimmed.Any(char.IsControl) ? null : trimmed;
    }
}

/// <summary>The change is not allowed (too many places): nothing was saved.</summary>
public sealed class PlaceRuleException(string message) : Exception(message);
