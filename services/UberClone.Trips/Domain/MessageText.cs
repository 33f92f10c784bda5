namespace UberClone.Trips.Domain;

/// <summary>What people write to each other (trip messages, help requests), as it is stored.</summary>
public static class MessageText
{
    /// <summary>Trimmed, 1 to <paramref name="maxLength"/> characters, no control characters but line breaks; null when it is none of that.</summary>
    public static string? Clean(string? text, int maxLength)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > maxLength) return null;
        return trimmed.Any(c => char.IsControl(c) && c is not '\n') ? null : trimmed;
    }
}
