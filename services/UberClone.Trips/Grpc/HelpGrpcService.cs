using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Help;
using UberClone.Contracts.Identity;
using UberClone.Trips.Application;
using DomainHelpRequest = UberClone.Trips.Domain.HelpRequest;
using HelpStatus = UberClone.Trips.Domain.HelpStatus;
using HelpTopics = UberClone.Trips.Domain.HelpTopics;

namespace UberClone.Trips.Grpc;

/// <summary>gRPC (and, through JSON transcoding, REST) face of the help requests: riders and drivers ask, support answers.</summary>
public sealed class HelpGrpcService(HelpDesk help) : HelpService.HelpServiceBase
{
    /// <summary>The queue of requests waiting for support (status open), longest waiting first.</summary>
    private const string Waiting = "waiting";

    public override async Task<HelpRequest> OpenHelpRequest(OpenHelpRequestRequest request, ServerCallContext context)
    {
        var caller = RiderOrDriver(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        if (!HelpTopics.IsKnown(request.Topic)) throw Validate.Invalid($"topic must be one of: {string.Join(", ", HelpTopics.All)}.");
        var (messageId, text) = Message(request.ClientMessageId, request.Text);
        return ToContract(await DomainErrors.Run(() => help.AskAsync(caller.UserId, tripId, request.Topic, messageId, text, context.CancellationToken)), caller);
    }

    public override async Task<HelpRequest> ReportEmergency(ReportEmergencyRequest request, ServerCallContext context)
    {
        var caller = RiderOrDriver(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        var messageId = Validate.Id(request.ClientMessageId, "clientMessageId");
        var phone = request.Location is { } at ? Validate.Point(at, "location") : (GeoPoint?)null;
        return ToContract(await DomainErrors.Run(() => help.EmergencyAsync(caller.UserId, tripId, messageId, phone, context.CancellationToken)), caller);
    }

    public override async Task<HelpRequestList> ListTripHelpRequests(ListTripHelpRequestsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var tripId = Validate.Id(request.TripId, "tripId");
        return List(await DomainErrors.Run(() => help.ForTripAsync(caller.IsOperator ? null : caller.UserId, tripId, context.CancellationToken)), caller);
    }

    public override async Task<HelpRequestList> ListHelpRequests(ListHelpRequestsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        if (!caller.IsOperator)
        {
            if (!string.IsNullOrEmpty(request.Status) || !string.IsNullOrEmpty(request.UserId))
            {
                throw Validate.Invalid("status and userId are for support's lists; yours are all your requests.");
            }
            return List(await help.OfUserAsync(caller.UserId, context.CancellationToken), caller);
        }
        if (!string.IsNullOrEmpty(request.UserId))
        {
            if (!string.IsNullOrEmpty(request.Status)) throw Validate.Invalid("give status or userId, not both.");
            return List(await help.OfUserAsync(Validate.Id(request.UserId, "userId"), context.CancellationToken), caller);
        }
        var status = string.IsNullOrEmpty(request.Status) ? Waiting : request.Status;
        return status switch
        {
            Waiting => List(await help.WaitingAsync(context.CancellationToken), caller),
            HelpStatus.Answered or HelpStatus.Closed => List(await help.InStatusAsync(status, context.CancellationToken), caller),
            _ => throw Validate.Invalid($"status must be one of: {Waiting}, {HelpStatus.Answered}, {HelpStatus.Closed}."),
        };
    }

    public override async Task<HelpRequest> GetHelpRequest(GetHelpRequestRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var requestId = Validate.Id(request.RequestId, "requestId");
        return ToContract(await DomainErrors.Run(() => help.GetAsync(requestId, caller.IsOperator ? null : caller.UserId, context.CancellationToken)), caller);
    }

    public override async Task<HelpRequest> AddHelpMessage(AddHelpMessageRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var requestId = Validate.Id(request.RequestId, "requestId");
        var (messageId, text) = Message(request.ClientMessageId, request.Text);
        return ToContract(await DomainErrors.Run(() => help.WriteAsync(requestId, caller.UserId, caller.IsOperator, messageId, text, context.CancellationToken)), caller);
    }

    public override async Task<HelpRequest> CloseHelpRequest(CloseHelpRequestRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var requestId = Validate.Id(request.RequestId, "requestId");
        return ToContract(await DomainErrors.Run(() => help.CloseAsync(requestId, caller.UserId, caller.IsOperator, context.CancellationToken)), caller);
    }

    /// <summary>Support does not ask about trips: it answers.</summary>
    private static Caller RiderOrDriver(ServerCallContext context)
    {
        var caller = Caller.From(context);
        return caller.IsRider || caller.IsDriver
            ? caller
            : throw new RpcException(new Status(StatusCode.PermissionDenied, "Only a trip's rider or driver asks for help with it."));
    }

    private static (string Id, string Text) Message(string clientMessageId, string text) =>
        (Validate.Id(clientMessageId, "clientMessageId"),
         DomainHelpRequest.Clean(text) ?? throw Validate.Invalid(
             $"text must be 1 to {DomainHelpRequest.MaxTextLength} characters, without control characters other than line breaks."));

    private static HelpRequestList List(IEnumerable<DomainHelpRequest> requests, Caller viewer)
    {
        var list = new HelpRequestList();
        list.Requests.AddRange(requests.Select(r => ToContract(r, viewer)));
        return list;
    }

    private static HelpRequest ToContract(DomainHelpRequest request, Caller viewer)
    {
        var result = new HelpRequest
        {
            RequestId = request.Id,
            TripId = request.TripId,
            OpenedBy = request.OpenedBy,
            OpenedByRole = request.OpenedByRole,
            Topic = request.Topic,
            Status = request.Status,
            CreatedAt = request.CreatedAt.ToString("O"),
            UpdatedAt = request.UpdatedAt.ToString("O"),
            ClosedAt = request.ClosedAt?.ToString("O") ?? "",
            WaitingSince = request.WaitingSince?.ToString("O") ?? "",
            Urgent = request.Urgent,
        };
        result.Messages.AddRange(request.Messages.Select(m => new HelpMessage
        {
            MessageId = m.Id, From = m.From, Text = m.Text, SentAt = m.At.ToString("O"), AuthorId = viewer.IsOperator ? m.AuthorId : "",
        }));
        return result;
    }
}
