using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Broker.Configuration.NatsFormat;

/// <summary>
/// The <c>akka</c> keys of a file, read by Akka's own HOCON parser as written: the rest of the file is
/// blanked out (new lines kept, so HOCON errors name the file's own lines) and the result replaces the
/// tree's <c>akka</c> value.
/// </summary>
internal static class AkkaSection
{
    public static void Merge(HoconObject root, string text, IReadOnlyList<(int Start, int End)> spans, string source)
    {
        var masked = text.ToCharArray();
        var keep = new bool[text.Length];
        foreach (var (start, end) in spans)
        {
            for (var i = start; i < end && i < keep.Length; i++) keep[i] = true;
        }
        for (var i = 0; i < masked.Length; i++)
        {
            if (!keep[i] && masked[i] != '\n') masked[i] = ' ';
        }
        var hocon = new string(masked);
        ConfigSyntax.Check(hocon, source);
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(hocon);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ConfigurationException(source, null, "akka", $"not valid HOCON: {e.Message.Split('\n')[0].Trim()}");
        }
        if (config.Root is { } parsed && parsed.IsObject() && parsed.GetObject().Items.TryGetValue("akka", out var akka))
        {
            root.Items["akka"] = akka;
        }
    }

    /// <summary>An included file's akka keys over the including file's: later values win, blocks merge.</summary>
    public static void MergeInto(HoconObject earlier, HoconObject later)
    {
        foreach (var (key, value) in later.Items)
        {
            if (earlier.Items.TryGetValue(key, out var existing) && existing.IsObject() && value.IsObject())
            {
                MergeInto(existing.GetObject(), value.GetObject());
            }
            else
            {
                earlier.Items[key] = value;
            }
        }
    }
}
