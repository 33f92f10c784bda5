using System.Diagnostics.Metrics;

namespace UberClone.Drivers.Application;

public sealed class DriversMetrics
{
    public const string MeterName = "UberClone.Drivers";
    private readonly Counter<long> _offersSent;
    private readonly Counter<long> _offersDeclined;
    private readonly Counter<long> _offersExpired;

    public DriversMetrics(IMeterFactory meterFactory, DriverRegistry registry)
    {
        var meter = meterFactory.Create(MeterName);
        _offersSent = meter.CreateCounter<long>("uberclone.offers.sent", unit: "{offer}");
        _offersDeclined = meter.CreateCounter<long>("uberclone.offers.declined", unit: "{offer}");
        _offersExpired = meter.CreateCounter<long>("uberclone.offers.expired", unit: "{offer}");
        // Every replica indexes the whole fleet, so each reports the same count: read it per replica, never summed.
        meter.CreateObservableGauge("uberclone.drivers.online", () => registry.OnlineCount, unit: "{driver}",
            description: "Online drivers with a position, as this replica sees the fleet (all replicas see all drivers).");
    }

    public void OfferSent() => _offersSent.Add(1);
    public void OfferDeclined() => _offersDeclined.Add(1);
    public void OfferExpired() => _offersExpired.Add(1);
}
