using System.Globalization;

namespace UberClone.Simulator;

public sealed record BoundingBox(double MinLat, double MinLng, double MaxLat, double MaxLng)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{MinLat},{MinLng},{MaxLat},{MaxLng}");
}

public sealed record SimulatorOptions(
    Uri Gateway, int Drivers, int Riders, BoundingBox Box, TimeSpan Duration, double AcceptProbability, double Speedup, int Seed,
    string OperatorPassword = SimulatorOptions.DevelopmentOperatorPassword, double CardShare = 0.5)
{
    /// <summary>The local run's support desk password (the AppHost's operator-password in Development).</summary>
    public const string DevelopmentOperatorPassword = "support-desk-local";

    public const string Usage = """
        usage: dotnet run --project tools/UberClone.Simulator -- [options]
          --gateway URL      the gateway (default http://localhost:8080)
          --drivers N        simulated drivers (default 50)
          --riders N         simulated riders (default 10)
          --city BBOX        minLat,minLng,maxLat,maxLng (default Berlin centre 52.48,13.33,52.55,13.46)
          --duration SECS    how long to run (default 120)
          --accept P         probability a driver accepts an offer (default 0.85)
          --speedup X        simulated driving runs X times faster than real time (default 10)
          --seed N           random seed (default 1)
          --operator-password P  the support desk's password (ops@uberclone.local), with which the simulated
                             drivers are approved to drive (default: the local run's, support-desk-local)
          --cards P          share of riders who save a card (the sandbox's test Visa) and are charged when their
                             rides end; the others pay each ride by link (default 0.5)
        """;

    public static SimulatorOptions? Parse(string[] args)
    {
        var options = new SimulatorOptions(new Uri("http://localhost:8080"), 50, 10, new BoundingBox(52.48, 13.33, 52.55, 13.46), TimeSpan.FromSeconds(120), 0.85, 10, 1);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null) return Fail($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--gateway" when Uri.TryCreate(value, UriKind.Absolute, out var uri) => options with { Gateway = uri },
                "--drivers" when int.TryParse(value, out var n) && n is >= 0 and <= 20_000 => options with { Drivers = n },
                "--riders" when int.TryParse(value, out var n) && n is >= 0 and <= 5_000 => options with { Riders = n },
                "--city" when ParseBox(value) is { } box => options with { Box = box },
                "--duration" when double.TryParse(value, CultureInfo.InvariantCulture, out var s) && s > 0 => options with { Duration = TimeSpan.FromSeconds(s) },
                "--accept" when double.TryParse(value, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1 => options with { AcceptProbability = p },
                "--speedup" when double.TryParse(value, CultureInfo.InvariantCulture, out var x) && x is >= 1 and <= 1000 => options with { Speedup = x },
                "--seed" when int.TryParse(value, out var seed) => options with { Seed = seed },
                "--operator-password" when value.Length > 0 => options with { OperatorPassword = value },
                "--cards" when double.TryParse(value, CultureInfo.InvariantCulture, out var c) && c is >= 0 and <= 1 => options with { CardShare = c },
                _ => null,
            };
            if (options is null) return Fail($"invalid value '{value}' for {args[i]}.");
            i++;
        }
        return options;
    }

    private static BoundingBox? ParseBox(string value)
    {
        var parts = value.Split(',').Select(p => double.TryParse(p, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToArray();
        return parts.Length == 4 && parts.All(double.IsFinite) && parts[0] < parts[2] && parts[1] < parts[3]
               && parts[0] >= -90 && parts[2] <= 90 && parts[1] >= -180 && parts[3] <= 180
            ? new BoundingBox(parts[0], parts[1], parts[2], parts[3])
            : null;
    }

    private static SimulatorOptions? Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return null;
    }
}
