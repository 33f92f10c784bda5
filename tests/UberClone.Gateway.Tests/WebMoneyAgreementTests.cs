using System.Diagnostics;
using System.Text.Json;
using UberClone.Contracts;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The web app's own money() (web/lib/format.ts, compiled by the app's TypeScript and run in Node) writes every currency
/// Node knows as the services do: the same digits, so the same amount (a price on the screen is what the mail, the
/// sandbox's page and the charge say), and an amount a user types reads back as the same amount here.
/// </summary>
public sealed class WebMoneyAgreementTests
{
    private const string Script = """
        const ts = require(process.argv[2]);
        const source = require("fs").readFileSync(process.argv[3], "utf8");
        const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
        const format = { exports: {} };
        new Function("module", "exports", "require", js)(format, format.exports, require);
        const amounts = [0, 1, 5, 30, 966, 1250, 123450, 123456789, -966];
        const written = [];
        for (const currency of Intl.supportedValuesOf("currency")) {
          for (const amountMinor of amounts) written.push({ currency, amountMinor, text: format.exports.money({ amountMinor, currency }) });
          written.push({ currency, typed: "12", amountMinor: format.exports.toMinorUnits("12", currency) });
        }
        console.log(JSON.stringify(written));
        """;

    private sealed record Written(string Currency, long? AmountMinor, string? Text, string? Typed);

    [Fact]
    public async Task The_web_app_writes_and_reads_every_currency_as_the_services_do()
    {
        var web = Path.Combine(Repository.Root(), "web");
        var typescript = Path.Combine(web, "node_modules", "typescript");
        if (!Directory.Exists(typescript)) Assert.Skip($"{typescript} is missing: run `npm ci` in web/ (scripts/test-all.sh does) to compare the web app's money() with the services'.");
        var script = Path.Combine(Path.GetTempPath(), $"web-money-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(script, Script, TestContext.Current.CancellationToken);
        try
        {
            var written = JsonSerializer.Deserialize<List<Written>>(await NodeAsync(script, typescript, Path.Combine(web, "lib", "format.ts")), JsonSerializerOptions.Web)!;

            Assert.True(written.Count > 1000, $"Node wrote {written.Count} amounts: Intl should know over a hundred currencies");
            var disagreements = written.Where(w => w.Typed is null && w.Text != Currencies.Display(w.AmountMinor!.Value, w.Currency))
                .Select(w => $"{w.AmountMinor} {w.Currency}: web \"{w.Text}\", services \"{Currencies.Display(w.AmountMinor!.Value, w.Currency)}\"")
                .Concat(written.Where(w => w.Typed is not null && (w.AmountMinor is not { } minor || decimal.Parse(Currencies.FormatMajor(minor, w.Currency), System.Globalization.CultureInfo.InvariantCulture) != 12m))
                    .Select(w => $"\"{w.Typed}\" {w.Currency} typed in the web app is {w.AmountMinor} minor units, {(w.AmountMinor is { } m ? Currencies.FormatMajor(m, w.Currency) : "none")} here"))
                .ToList();
            Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
            Assert.Contains(written, w => w is { Currency: "HUF", AmountMinor: 123450, Text: "HUF\u00A01,234.50" });
            Assert.Contains(written, w => w is { Currency: "JPY", AmountMinor: 1250, Text: "¥1,250" });
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<string> NodeAsync(params string[] arguments)
    {
        using var node = Process.Start(new ProcessStartInfo("node", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await node.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await errors}");
        return await output;
    }
}
