using Grpc.Core;

namespace UberClone.Drivers.Tests;

/// <summary>Just what a service reads of a call: its headers and its cancellation (payments' tests link this file too).</summary>
internal sealed class TestCallContext(Metadata headers, CancellationToken ct) : ServerCallContext
{
    protected override string MethodCore => "/uberclone.drivers.v1.DriverService/Test";
    protected override string HostCore => "drivers";
    protected override string PeerCore => "ipv4:127.0.0.1:1";
    protected override DateTime DeadlineCore => DateTime.MaxValue;
    protected override Metadata RequestHeadersCore => headers;
    protected override CancellationToken CancellationTokenCore => ct;
    protected override Metadata ResponseTrailersCore { get; } = [];
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore => new(null, []);
    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
