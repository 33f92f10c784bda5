using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace UberClone.Gateway.Tests;

/// <summary>
/// "Pets welcome" (ADR 0041) and "Accept cash rides" (ADR 0042) take true or false, nothing else: a body the app got wrong is refused naming the field
/// rather than read as false. Through the gateway in-process (the drivers service is down here, so a body let through
/// answers 503).
/// </summary>
public sealed class BooleanBodiesTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string Path = "/api/drivers/me/pets-welcome";

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("""{"accept": "yes"}""")]
    [InlineData("""{"welcome": true}""")]
    public async Task Accept_cash_rides_takes_accept_true_or_false_the_same_way(string? body)
    {
        var (status, problem, contentType) = await PutAsync(await DriverAsync(), body, "/api/drivers/me/cash");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.StartsWith("accept (true or false) is required", problem["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PutAsync(await DriverAsync(), """{"accept": false}""", "/api/drivers/me/cash")).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"welcome": null}""")]
    [InlineData("""{"welcome": "yes"}""")]
    [InlineData("""{"welcome": "true"}""")]
    [InlineData("""{"welcome": 1}""")]
    [InlineData("""{"Welcome": true}""")]
    [InlineData("""{"welcome": true, "welcome": false}""")]
    [InlineData("[true]")]
    [InlineData("true")]
    [InlineData("""{"welcome": tru""")]
    public async Task A_body_without_welcome_true_or_false_is_a_400_problem_naming_welcome(string? body)
    {
        var (status, problem, contentType) = await PutAsync(await DriverAsync(), body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.StartsWith("welcome (true or false) is required", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"welcome": true}""")]
    [InlineData("""{"welcome":false}""")]
    public async Task Welcome_true_or_false_goes_through_to_the_drivers_service(string body)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PutAsync(await DriverAsync(), body)).Status);
    }

    [Fact]
    public async Task A_body_too_long_for_one_setting_is_refused_the_same_way()
    {
        var (status, problem, _) = await PutAsync(await DriverAsync(), $$"""{"welcome": true, "padding": "{{new string('x', 2_000)}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("welcome", problem["detail"]!.GetValue<string>());
    }

    private async Task<string> DriverAsync() =>
        (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp())).Body["accessToken"]!.GetValue<string>();

    private async Task<(HttpStatusCode Status, JsonObject Problem, string? ContentType)> PutAsync(string token, string? body, string path = Path)
    {
        using var client = gateway.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Put, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : [];
        return (response.StatusCode, json, response.Content.Headers.ContentType?.MediaType);
    }
}
