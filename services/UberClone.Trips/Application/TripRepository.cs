using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>Trips and quotes in the service's document database.</summary>
public sealed class TripRepository(IDocumentDatabase database)
{
    public IDocumentStore<Trip> Trips { get; } = database.Collection<Trip>("trips", "riderId", "driverId", "status");
    public IDocumentStore<Quote> Quotes { get; } = database.Collection<Quote>("quotes", "riderId");
}
