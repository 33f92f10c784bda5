using UberClone.Drivers.Domain;
using UberClone.Storage;

namespace UberClone.Drivers.Application;

public sealed class DriverRepository(IDocumentDatabase database)
{
    public IDocumentStore<Driver> Drivers { get; } = database.Collection<Driver>("drivers", "state");
    public IDocumentStore<TripDispatch> Dispatches { get; } = database.Collection<TripDispatch>("dispatches", "status", TripDispatch.DueField, TripDispatch.PartitionDueField);
}
