using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;

namespace UberClone.Gateway.Realtime;

/// <summary>
/// The first message on every socket: {type:"snapshot", seq, data:{trip, offer, driver, unavailable}} with the user's
/// active trip (or null), and for a driver their state and pending offer. Objects are the REST shapes (proto JSON).
/// "gateway" names the replica serving the socket. A service that does not answer in time is listed in "unavailable" rather than holding the socket back.
/// </summary>
public sealed class SnapshotReader(TripService.TripServiceClient trips, DriverService.DriverServiceClient drivers, GatewayInstance instance, ILogger<SnapshotReader> logger)
{
    public const string Type = "snapshot";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    public async Task<byte[]> ReadAsync(Caller caller, long seq, CancellationToken ct)
    {
        var unavailable = new List<string>();
        // Support has no trip of its own.
        var tripTask = caller.IsOperator
            ? Task.FromResult<Trip?>(null)
            : ReadAsync(() => trips.GetActiveTripAsync(new GetActiveTripRequest(), caller.ToMetadata(), DateTime.UtcNow + Deadline, ct).ResponseAsync, "trips", unavailable);
        var driverTask = caller.IsDriver
            ? ReadAsync(() => drivers.GetMeAsync(new GetMeRequest(), caller.ToMetadata(), DateTime.UtcNow + Deadline, ct).ResponseAsync, "drivers", unavailable)
            : Task.FromResult<DriverState?>(null);
        var trip = await tripTask;
        var driver = await driverTask;

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteNumber("seq", seq);
            json.WriteStartObject("data");
            WriteMessage(json, "trip", trip);
            WriteMessage(json, "offer", driver?.Offer);
            WriteMessage(json, "driver", driver);
            json.WriteString("gateway", instance.Id);
            json.WriteStartArray("unavailable");
            lock (unavailable) unavailable.ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private async Task<T?> ReadAsync<T>(Func<Task<T>> call, string service, List<string> unavailable) where T : class
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Snapshot: {Service} did not answer ({Status})", service, ex.StatusCode);
            lock (unavailable) unavailable.Add(service);
            return null;
        }
    }

    private static void WriteMessage(Utf8JsonWriter json, string name, IMessage? message)
    {
        if (message is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WritePropertyName(name);
        json.WriteRawValue(Formatter.Format(message));
    }
}

/// <summary>This gateway process's id (service.instance.id): its Kafka consumer group and the "gateway" of its snapshots.</summary>
public sealed record GatewayInstance(string Id);
