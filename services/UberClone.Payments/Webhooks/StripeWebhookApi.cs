using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace UberClone.Payments.Webhooks;

/// <summary>POST /api/payments/webhooks/stripe: anonymous at the gateway; the Stripe-Signature header is the authentication.</summary>
public static class StripeWebhookApi
{
    public const string Path = "/api/payments/webhooks/stripe";
    private const int MaxPayloadBytes = 256 * 1024;

    public static RouteHandlerBuilder MapStripeWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, ReceiveAsync).DisableAntiforgery();

    private static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(HttpRequest request, StripeWebhookProcessor processor, CancellationToken ct)
    {
        if (request.ContentLength > MaxPayloadBytes) return TypedResults.Problem("The webhook payload is too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
        string payload;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxPayloadBytes + 1];
            var read = await reader.ReadBlockAsync(buffer, ct);
            if (read > MaxPayloadBytes) return TypedResults.Problem("The webhook payload is too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
            payload = new string(buffer, 0, read);
        }
        var result = await processor.HandleAsync(payload, request.Headers[StripeSignature.Header].ToString(), ct);
        return result.Outcome switch
        {
            WebhookOutcome.Rejected => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status400BadRequest, title: "Webhook rejected"),
            WebhookOutcome.RetryLater => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict, title: "Webhook arrived early"),
            _ => TypedResults.Ok(new WebhookReceipt(true, result.EventId, result.Outcome.ToString().ToLowerInvariant())),
        };
    }
}

public sealed record WebhookReceipt(bool Received, string? EventId, string Outcome);
