using System.Reflection;

namespace UberClone.AppHost.Tests;

internal static class TestBuild
{
    /// <summary>The test assets are built alongside the tests, in the same configuration.</summary>
    public static string Configuration { get; } =
        typeof(TestBuild).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
