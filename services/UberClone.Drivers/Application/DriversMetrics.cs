using System.Diagnostics.Metrics;

namespace UberClone.Drivers.Application;

public sealed class DriversMetrics
{
    public const string MeterName = "UberClone.Drivers";
    private readonly Counter<long> _offersSent;
    private readonly Counter<long> _offersDeclined;
    private readonly Counter<long> _offersExpired;
    private readonly Counter<long> _searchesWoken;
    private readonly Counter<long> _searchesWokenInVain;

    public DriversMetrics(IMeterFactory meterFactory, DriverRegistry registry)
    {
        var meter = meterFactory.Create(MeterName);
        _offersSent = meter.CreateCounter<long>("uberclone.offers.sent", unit: "{offer}");
        _offersDeclined = meter.CreateCounter<long>("uberclone.offers.declined", unit: "{offer}");
        _offersExpired = meter.CreateCounter<long>("uberclone.offers.expired", unit: "{offer}");
        _searchesWoken = meter.CreateCounter<long>("uberclone.dispatch.searches_woken", unit: "{search}",
            description: "Waiting searches a newly available driver woke before their next attempt.");
        _searchesWokenInVain = meter.CreateCounter<long>("uberclone.dispatch.searches_woken_in_vain", unit: "{search}",
            description: "Woken searches that found nobody after all (the driver was taken meanwhile, or had no fresh position).");
        // Every replica indexes the whole fleet, so each reports the same count: read it per replica, never summed.
        meter.CreateObservableGauge("uberclone.drivers.online", () => registry.OnlineCount, unit: "{driver}",
            description: "Online drivers with a position, as this replica sees the fleet (all replicas see all drivers).");
    }

    public void OfferSent() => _offersSent.Add(1);
    public void OfferDeclined() => _offersDeclined.Add(1);
    public void OfferExpired() => _offersExpired.Add(1);
    public void SearchWoken() => _searchesWoken.Add(1);
    public void SearchWokenInVain() => _searchesWokenInVain.Add(1);
}
