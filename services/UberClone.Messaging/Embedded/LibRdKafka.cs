using System.Reflection;
using System.Runtime.InteropServices;

namespace UberClone.Messaging.Embedded;

/// <summary>
/// The slice of librdkafka's C API that hosts a mock cluster (rdkafka.h, rdkafka_mock.h). Confluent.Kafka does not
/// expose the mock API, so it is called directly on the same native library Confluent.Kafka loads.
/// </summary>
internal static partial class LibRdKafka
{
    private const string Library = "librdkafka";
    private const int ProducerType = 0;
    private const int ConfOk = 0;

    static LibRdKafka() => NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);

    /// <summary>A client handle that only exists to own the mock cluster (it never connects anywhere).</summary>
    public static IntPtr NewHostHandle()
    {
        var conf = rd_kafka_conf_new();
        var error = new byte[512];
        // The handle has no bootstrap servers on purpose; only errors from it are worth seeing.
        if (rd_kafka_conf_set(conf, "log_level", "3", error, (nuint)error.Length) != ConfOk)
        {
            rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"librdkafka rejected log_level: {ErrorText(error)}");
        }
        var rk = rd_kafka_new(ProducerType, conf, error, (nuint)error.Length);
        if (rk == IntPtr.Zero)
        {
            rd_kafka_conf_destroy(conf); // rd_kafka_new takes ownership only on success
            throw new InvalidOperationException($"librdkafka could not create a client handle: {ErrorText(error)}");
        }
        return rk;
    }

    public static string ErrorName(int error) => Marshal.PtrToStringUTF8(rd_kafka_err2str(error)) ?? $"error {error}";

    private static string ErrorText(byte[] buffer)
    {
        var end = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }

    /// <summary>
    /// Loads the same file Confluent.Kafka would: librdkafka.so needs libsasl2.so.3, missing on some distributions
    /// (Debian 12), where the CentOS 8 build shipped in the same package loads instead.
    /// </summary>
    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Library)
        {
            return IntPtr.Zero;
        }
        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }
        throw new DllNotFoundException(
            $"librdkafka could not be loaded from any of: {string.Join(", ", Candidates())}. " +
            "It ships in the librdkafka.redist package that Confluent.Kafka references.");
    }

    private static IEnumerable<string> Candidates()
    {
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var (rid, files) =
            OperatingSystem.IsWindows() ? ($"win-{arch}", new[] { "librdkafka.dll" })
            : OperatingSystem.IsMacOS() ? ($"osx-{arch}", new[] { "librdkafka.dylib" })
            : ($"linux-{arch}", new[] { "librdkafka.so", "centos8-librdkafka.so" });

        var directories = new[]
        {
            AppContext.BaseDirectory,
            Path.GetDirectoryName(typeof(Confluent.Kafka.Library).Assembly.Location) ?? AppContext.BaseDirectory,
        }.Distinct();

        foreach (var directory in directories)
        {
            foreach (var file in files)
            {
                yield return Path.Combine(directory, "runtimes", rid, "native", file);
            }
        }
    }

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library)]
    private static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_err2str(int error);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_cluster_destroy(IntPtr mockCluster);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mockCluster);

    public static string Bootstraps(IntPtr mockCluster) =>
        Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(mockCluster))
        ?? throw new InvalidOperationException("The mock cluster reported no bootstrap address.");

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(IntPtr mockCluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mockCluster, int delayMs);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_set_controller_id(IntPtr mockCluster, int controllerId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rd_kafka_mock_broker_set_host_port(IntPtr mockCluster, int brokerId, string host, int port);
}
