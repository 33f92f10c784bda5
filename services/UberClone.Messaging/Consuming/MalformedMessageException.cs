namespace UberClone.Messaging.Consuming;

/// <summary>The message cannot be read as an envelope of its topic's type; retrying cannot help, so it is dead-lettered at once.</summary>
public sealed class MalformedMessageException(string message, Exception? innerException = null) : Exception(message, innerException);
