using UberClone.Drivers.Domain;
using UberClone.Storage;

namespace UberClone.Drivers.Application;

public sealed class DriverRepository(IDocumentDatabase database)
{
    public IDocumentStore<Driver> Drivers { get; } = database.Collection<Driver>("drivers", "state");
    /// <summary>Drivers' last stored live positions, by driver id (<see cref="StoredPosition"/>): small, unindexed documents.</summary>
    public IDocumentStore<StoredPosition> Positions { get; } = database.Collection<StoredPosition>("driver_positions");
    public IDocumentStore<TripDispatch> Dispatches { get; } = database.Collection<TripDispatch>(
        "dispatches", "status", TripDispatch.DueField, TripDispatch.PartitionDueField, TripDispatch.ClosedStartedAtField);
}
