using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using UberClone.Gateway.Mail;
using UberClone.Storage.Sqlite;

// What durable mail costs (ADR 0016): N mails queued and sent through the gateway's outbox on SQLite (one insert, a
// claim and an outcome per mail) against the in-memory queue it replaced (a channel and a loop), both to a transport
// that accepts at once, so only the queue's own cost is measured. Same process, same run.
//   dotnet build -c Release bench/MailOutbox && bench/MailOutbox/bin/Release/net10.0/UberClone.Bench.MailOutbox 2000
var count = args.Length > 0 ? int.Parse(args[0]) : 2_000;
var directory = Directory.CreateTempSubdirectory("uberclone-bench-mail-");
try
{
    var meters = new Meters();
    var mails = Enumerable.Range(0, count).Select(i => new OutgoingMail($"rider{i}@example.com", "Rider", $"Your UberClone receipt: {i}.00 EUR", "Fare …", "receipt")).ToList();

    // The in-memory queue the outbox replaced: a bounded channel drained by one loop.
    var memoryTransport = new CountingTransport();
    var channel = Channel.CreateBounded<OutgoingMail>(new BoundedChannelOptions(count) { SingleReader = true });
    var memory = Stopwatch.StartNew();
    var reader = Task.Run(async () =>
    {
        await foreach (var mail in channel.Reader.ReadAllAsync()) await memoryTransport.SendAsync(mail, default);
    });
    foreach (var mail in mails) channel.Writer.TryWrite(mail);
    channel.Writer.Complete();
    await reader;
    memory.Stop();

    // The outbox: queue each (one insert), then send what is due in batches of 20 as MailSender does.
    var transport = new CountingTransport();
    var outbox = new MailOutbox(new SqliteDocumentDatabase(Path.Combine(directory.FullName, "gateway.db")), transport, MailSettings.Parse(null),
        TimeProvider.System, meters, NullLogger<MailOutbox>.Instance);
    var queue = Stopwatch.StartNew();
    foreach (var mail in mails) await outbox.EnqueueAsync(mail, accountId: "u1");
    queue.Stop();
    var send = Stopwatch.StartNew();
    while (await outbox.SendDueAsync(20, default) > 0) { }
    send.Stop();
    if (transport.Sent != count || memoryTransport.Sent != count) throw new InvalidOperationException($"sent {transport.Sent} and {memoryTransport.Sent} of {count}");

    Console.WriteLine($"mails: {count}");
    Console.WriteLine($"in-memory queue: {count / memory.Elapsed.TotalSeconds,10:N0} mails/s ({memory.Elapsed.TotalMilliseconds * 1000 / count:N1} µs a mail)");
    Console.WriteLine($"outbox, queue:   {count / queue.Elapsed.TotalSeconds,10:N0} mails/s ({queue.Elapsed.TotalMilliseconds * 1000 / count:N1} µs a mail: one insert)");
    Console.WriteLine($"outbox, send:    {count / send.Elapsed.TotalSeconds,10:N0} mails/s ({send.Elapsed.TotalMilliseconds * 1000 / count:N1} µs a mail: a claim and an outcome)");
    var outboxTotal = queue.Elapsed + send.Elapsed;
    Console.WriteLine($"outbox / in-memory, time a mail: {outboxTotal / memory.Elapsed:N0}x");
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

sealed class CountingTransport : IMailTransport
{
    private int _sent;

    public int Sent => _sent;

    public Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        Interlocked.Increment(ref _sent);
        return Task.CompletedTask;
    }
}

sealed class Meters : System.Diagnostics.Metrics.IMeterFactory
{
    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
