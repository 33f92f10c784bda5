namespace Aspire.Hosting;

public sealed class DistributedApplicationException(string message, Exception? innerException = null) : Exception(message, innerException);
