using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using UberClone.Contracts.Identity;

namespace UberClone.Gateway.Realtime;

/// <summary>A server → client message: type, per-user sequence number, data.</summary>
public sealed record ServerMessage(string Type, long Seq, object? Data);

/// <summary>The sockets this gateway instance serves, by user (a user may have several: phone and laptop).</summary>
public sealed class ConnectionRegistry
{
    public const string MeterName = "UberClone.Gateway";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    /// <summary>Per user an immutable array, replaced on add/remove: most users have one socket, and an idle one should cost little.</summary>
    private readonly ConcurrentDictionary<string, ClientConnection[]> _byUser = new();
    /// <summary>
    /// One sequence for every user of this replica: each user's messages still get increasing numbers, and nothing is
    /// kept per user once their last socket closes (a per-user counter grew by every user who ever connected).
    /// </summary>
    private long _sequence;
    private int _open;
    /// <summary>The support desk's users with a socket here: what concerns support (a help request) goes to each of them.</summary>
    private readonly ConcurrentDictionary<string, byte> _operators = new();

    public ConnectionRegistry(IMeterFactory meterFactory)
    {
        meterFactory.Create(MeterName).CreateObservableGauge("uberclone.websockets.open", () => Volatile.Read(ref _open), unit: "{connection}");
    }

    public int OpenCount => Volatile.Read(ref _open);

    /// <summary>The users with at least one socket on this instance (a moment's view).</summary>
    public IEnumerable<string> ConnectedUsers => _byUser.Keys;

    public void Add(ClientConnection connection)
    {
        _byUser.AddOrUpdate(connection.UserId, _ => [connection], (_, existing) => [.. existing, connection]);
        if (connection.Role == Roles.Operator) _operators[connection.UserId] = 0;
        Interlocked.Increment(ref _open);
    }

    public void Remove(ClientConnection connection)
    {
        while (_byUser.TryGetValue(connection.UserId, out var existing))
        {
            if (!existing.Contains(connection)) return;
            var removed = existing.Length == 1
                ? _byUser.TryRemove(new KeyValuePair<string, ClientConnection[]>(connection.UserId, existing))
                : _byUser.TryUpdate(connection.UserId, [.. existing.Where(c => c != connection)], existing);
            if (removed)
            {
                // A user's last socket gone: no longer one of the operators to tell (another may have come meanwhile).
                if (connection.Role == Roles.Operator && !_byUser.ContainsKey(connection.UserId))
                {
                    _operators.TryRemove(connection.UserId, out _);
                    if (_byUser.ContainsKey(connection.UserId)) _operators[connection.UserId] = 0; // a socket of theirs came meanwhile
                }
                Interlocked.Decrement(ref _open);
                return;
            }
        }
    }

    /// <summary>
    /// Closes the user's sockets whose token was issued before their sessions were ended, or whose session was ended
    /// (<see cref="Identity.RevokedSessions"/>), with the token-expired code: a client renews (which fails: its refresh
    /// token is revoked too) and signs in again.
    /// </summary>
    public int CloseRevoked(string userId, Identity.RevokedSessions revoked)
    {
        if (!_byUser.TryGetValue(userId, out var connections)) return 0;
        var closed = 0;
        foreach (var connection in connections)
        {
            if (!revoked.IsRevoked(userId, connection.TokenIssuedAt, connection.SessionId)) continue;
            var reason = connection.SessionId is { } sid && revoked.IsEnded(sid) ? SessionEndedReason : SessionRevokedReason;
            if (connection.Close(ClientConnection.TokenExpired, reason)) closed++;
        }
        return closed;
    }

    public const string SessionRevokedReason = "signed out everywhere: sign in again";
    public const string SessionEndedReason = "signed out of this device: sign in again";

    /// <summary>Closes the sockets whose token expired before <paramref name="now"/>; returns how many began closing.</summary>
    public int CloseExpired(DateTimeOffset now)
    {
        var closed = 0;
        foreach (var connections in _byUser.Values)
        {
            foreach (var connection in connections)
            {
                if (connection.ValidUntil >= now) continue;
                if (connection.Close(ClientConnection.TokenExpired, ClientConnection.TokenExpiredReason)) closed++;
            }
        }
        return closed;
    }

    /// <summary>
    /// Sends to every socket of the user on this instance. Returns how many sockets got it. With <paramref name="order"/>
    /// (the message's stream and its time in it; asked only when the user has a socket here) a socket gets it only if it
    /// is newer than the last message of that stream the socket got (<see cref="ClientConnection.TakeNewer"/>).
    /// </summary>
    public int SendToUser(string userId, string type, object? data, Func<object?, (string Stream, DateTimeOffset At)?>? order = null)
    {
        if (!_byUser.TryGetValue(userId, out var connections)) return 0;
        if (order?.Invoke(data) is var (stream, at))
        {
            connections = Array.FindAll(connections, c => c.TakeNewer(stream, at));
            if (connections.Length == 0) return 0;
        }
        var seq = NextSeq();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new ServerMessage(type, seq, data), Json);
        return connections.Count(c => c.TryEnqueue(payload, seq));
    }

    /// <summary>Sends to every socket of the support desk's users on this instance. Returns how many sockets got it.</summary>
    public int SendToOperators(string type, object? data) => _operators.Keys.Sum(userId => SendToUser(userId, type, data));

    /// <summary>The next sequence number (events and snapshots share one increasing sequence).</summary>
    public long NextSeq() => Interlocked.Increment(ref _sequence);

    /// <summary>A reply to one socket (acks, errors, pongs): not part of the user's event sequence.</summary>
    public static bool SendTo(ClientConnection connection, string type, object? data) =>
        connection.TryEnqueue(JsonSerializer.SerializeToUtf8Bytes(new ServerMessage(type, 0, data), Json));
}
