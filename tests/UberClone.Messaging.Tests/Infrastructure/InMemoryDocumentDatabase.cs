using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Text.Json;
using UberClone.Storage;

namespace UberClone.Messaging.Tests.Infrastructure;

/// <summary>Just enough of a document database for the messaging tests (the real providers have their own suite).</summary>
public sealed class InMemoryDocumentDatabase : IDocumentDatabase
{
    private readonly ConcurrentDictionary<string, object> _collections = new();

    public InMemoryOutbox InMemoryOutbox { get; } = new();

    public IOutbox Outbox => InMemoryOutbox;

    public IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class =>
        (IDocumentStore<T>)_collections.GetOrAdd(name, n => new InMemoryStore<T>(n, InMemoryOutbox));

    public Task PingAsync(CancellationToken ct = default) => Task.CompletedTask;

    private sealed class InMemoryStore<T>(string name, InMemoryOutbox outbox) : IDocumentStore<T> where T : class
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, Versioned<T>> _documents = [];

        public Task<Versioned<T>?> GetAsync(string id, CancellationToken ct = default)
        {
            lock (_gate)
            {
                return Task.FromResult(_documents.GetValueOrDefault(id));
            }
        }

        public Task<IReadOnlyList<Versioned<T>>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
        {
            lock (_gate)
            {
                IReadOnlyList<Versioned<T>> found = ids.Distinct().Where(_documents.ContainsKey).Select(id => _documents[id]).ToList();
                return Task.FromResult(found);
            }
        }

        public Task<Versioned<T>> InsertAsync(string id, T document, IReadOnlyList<OutboxMessage>? messages = null, CancellationToken ct = default)
        {
            lock (_gate)
            {
                if (_documents.ContainsKey(id))
                {
                    throw new DuplicateDocumentException(name, id);
                }
                var stored = _documents[id] = new Versioned<T>(id, document, 1);
                outbox.Add(messages ?? []);
                return Task.FromResult(stored);
            }
        }

        public Task<Versioned<T>> ReplaceAsync(string id, T document, long expectedVersion, IReadOnlyList<OutboxMessage>? messages = null, CancellationToken ct = default)
        {
            lock (_gate)
            {
                if (!_documents.TryGetValue(id, out var current) || current.Version != expectedVersion)
                {
                    throw new ConcurrencyConflictException(name, id, expectedVersion);
                }
                var stored = _documents[id] = new Versioned<T>(id, document, expectedVersion + 1);
                outbox.Add(messages ?? []);
                return Task.FromResult(stored);
            }
        }

        public Task DeleteAsync(string id, long expectedVersion, CancellationToken ct = default)
        {
            lock (_gate)
            {
                if (!_documents.TryGetValue(id, out var current) || current.Version != expectedVersion)
                {
                    throw new ConcurrencyConflictException(name, id, expectedVersion);
                }
                _documents.Remove(id);
                return Task.CompletedTask;
            }
        }

        public async IAsyncEnumerable<Versioned<T>> QueryAllAsync(string field, string value, [EnumeratorCancellation] CancellationToken ct = default)
        {
            foreach (var match in await QueryAsync(field, value, int.MaxValue, ct)) yield return match;
        }

        public Task<IReadOnlyList<Versioned<T>>> QueryUpToAsync(string field, long max, int limit = 100, CancellationToken ct = default) =>
            QueryBetweenAsync(field, long.MinValue, max, limit, ct);

        public Task<IReadOnlyList<Versioned<T>>> QueryBetweenAsync(string field, long min, long max, int limit = 100, CancellationToken ct = default)
        {
            lock (_gate)
            {
                IReadOnlyList<Versioned<T>> matches = _documents.Values
                    .Select(d => (Document: d, Value: JsonSerializer.SerializeToElement(d.Document, JsonSerializerOptions.Web).TryGetProperty(field, out var v)
                        && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN))
                    .Where(d => d.Value >= min && d.Value <= max)
                    .OrderBy(d => d.Value)
                    .Select(d => d.Document)
                    .Take(limit)
                    .ToList();
                return Task.FromResult(matches);
            }
        }

        public async Task<int> DeleteUpToAsync(string field, long max, int limit = 1_000, CancellationToken ct = default)
        {
            var due = await QueryBetweenAsync(field, long.MinValue, max, limit, ct);
            lock (_gate)
            {
                return due.Count(d => _documents.Remove(d.Id));
            }
        }

        public Task<IReadOnlyList<Versioned<T>>> QueryAsync(string field, string value, int limit = 100, CancellationToken ct = default)
        {
            lock (_gate)
            {
                IReadOnlyList<Versioned<T>> matches = _documents.Values
                    .Where(d => JsonSerializer.SerializeToElement(d.Document, JsonSerializerOptions.Web).TryGetProperty(field, out var v)
                        && v.ToString() == value)
                    .Reverse()
                    .Take(limit)
                    .ToList();
                return Task.FromResult(matches);
            }
        }

        public Task<IReadOnlyList<long?>> ReplaceEachAsync(IReadOnlyList<VersionedReplace<T>> items, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(items);
            if (items.Any(item => item is null || string.IsNullOrEmpty(item.Id) || item.Document is null)
                || items.Select(item => item.Id).Distinct().Count() != items.Count)
            {
                throw new ArgumentException("A batch needs distinct ids and a document for each.", nameof(items));
            }
            lock (_gate)
            {
                IReadOnlyList<long?> versions = items.Select(item =>
                {
                    var version = _documents.TryGetValue(item.Id, out var current) ? current.Version : 0;
                    if (version != item.ExpectedVersion) return (long?)null;
                    _documents[item.Id] = new Versioned<T>(item.Id, item.Document, item.ExpectedVersion + 1);
                    return item.ExpectedVersion + 1;
                }).ToList();
                return Task.FromResult(versions);
            }
        }
    }
}

/// <summary>Pending messages oldest first, as the real providers keep them.</summary>
public sealed class InMemoryOutbox : IOutbox
{
    private readonly object _gate = new();
    private readonly List<OutboxMessage> _pending = [];
    private readonly List<OutboxMessage> _published = [];

    public void Add(IEnumerable<OutboxMessage> messages)
    {
        lock (_gate)
        {
            _pending.AddRange(messages);
        }
    }

    public IReadOnlyList<OutboxMessage> Pending
    {
        get { lock (_gate) { return [.. _pending]; } }
    }

    public IReadOnlyList<OutboxMessage> Published
    {
        get { lock (_gate) { return [.. _published]; } }
    }

    public Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(int max, CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OutboxMessage>>([.. _pending.Take(max)]);
        }
    }

    public Task MarkPublishedAsync(IReadOnlyCollection<string> messageIds, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var ids = messageIds.ToHashSet();
            _published.AddRange(_pending.Where(m => ids.Contains(m.Id)));
            _pending.RemoveAll(m => ids.Contains(m.Id));
        }
        return Task.CompletedTask;
    }
}
