using UberClone.Simulator;

var options = SimulatorOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(SimulatorOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource(options.Duration);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var stats = new SimulationStats();
var city = new City(options.Box, options.Seed);
var api = new GatewayClient(options.Gateway);
Console.WriteLine($"Simulating {options.Drivers} drivers and {options.Riders} riders in {options.Box} against {options.Gateway} for {options.Duration}");

var pins = new PinBoard();
var drivers = Enumerable.Range(0, options.Drivers).Select(i => new SimulatedDriver(i, api, city, options, pins, stats).RunAsync(stop.Token));
var riders = Enumerable.Range(0, options.Riders).Select(i => new SimulatedRider(i, api, city, options, pins, stats).RunAsync(stop.Token));
var reporter = stats.ReportEveryAsync(TimeSpan.FromSeconds(5), Console.Out, stop.Token);

await Task.WhenAll([.. drivers, .. riders, reporter]);
stats.Report(Console.Out, final: true);
return stats.Errors > 0 && stats.Completed == 0 ? 1 : 0;
