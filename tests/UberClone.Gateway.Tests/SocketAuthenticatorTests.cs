using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using UberClone.Gateway.Realtime;

namespace UberClone.Gateway.Tests;

/// <summary>A socket request lives as long as the socket: once its token is read, no copy of it may stay in the request.</summary>
public sealed class SocketAuthenticatorTests
{
    [Fact]
    public void A_token_in_the_query_is_taken_out_of_the_query_string_and_the_raw_target()
    {
        var context = Upgrade("/ws", "?access_token=header.payload.signature&lang=en");

        Assert.Equal("header.payload.signature", SocketAuthenticator.TakeToken(context));

        var request = context.Features.GetRequiredFeature<IHttpRequestFeature>();
        Assert.Equal("", request.QueryString);
        Assert.Equal("/ws", request.RawTarget);
        Assert.DoesNotContain("signature", context.Request.QueryString.Value ?? "");
    }

    [Fact]
    public void A_token_in_a_subprotocol_is_read_and_the_header_can_be_forgotten_after_the_upgrade()
    {
        var context = Upgrade("/ws", "");
        context.Request.Headers.SecWebSocketProtocol = "uberclone, access_token.header.payload.signature";

        Assert.Equal("header.payload.signature", SocketAuthenticator.TakeToken(context));
        SocketAuthenticator.ForgetSubProtocols(context);

        Assert.False(context.Request.Headers.ContainsKey("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public void A_bearer_header_is_accepted_and_removed()
    {
        var context = Upgrade("/ws", "");
        context.Request.Headers.Authorization = "Bearer header.payload.signature";

        Assert.Equal("header.payload.signature", SocketAuthenticator.TakeToken(context));
        Assert.False(context.Request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public void No_token_anywhere_is_null()
    {
        var context = Upgrade("/ws", "?lang=en");
        context.Request.Headers.SecWebSocketProtocol = "uberclone";

        Assert.Null(SocketAuthenticator.TakeToken(context));
    }

    private static DefaultHttpContext Upgrade(string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget = path + query;
        return context;
    }
}
