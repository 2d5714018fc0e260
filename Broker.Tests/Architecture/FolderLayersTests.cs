using System.Text.RegularExpressions;

namespace Broker.Tests.Architecture;

/// <summary>
/// Folders of Broker.Actors are layers: folder F depends on G when a file in F names namespace
/// <c>Broker.G</c> (a using or a qualified name; comments and strings do not count, the same rule
/// as the design's folder-graph tool), or names a type of G as <c>G.Type</c> from inside the
/// <c>Broker</c> namespace, which the tool does not see. The graph must have no cycle, so that each
/// layer can be read, tested and replaced with only the layers below it.
/// </summary>
public sealed partial class FolderLayersTests
{
    [Fact]
    public void Folders_of_the_library_depend_one_way()
    {
        var graph = FolderGraph(LibraryDirectory());
        Assert.True(graph.Count > 5, $"found only {graph.Count} folders under {LibraryDirectory()}");
        var cycles = Cycles(graph).Select(c => string.Join(" <-> ", c)).ToList();
        Assert.True(cycles.Count == 0, "folder cycles: " + string.Join("; ", cycles) + Environment.NewLine + Edges(graph));
    }

    [Fact]
    public void A_type_named_through_its_folder_is_a_dependency()
    {
        var root = Directory.CreateTempSubdirectory("folder-graph-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "Low"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "High"));
            File.WriteAllText(Path.Combine(root.FullName, "Low", "Thing.cs"), "namespace Broker.Low;\npublic sealed class Thing { public High.Other? Up; }\n");
            File.WriteAllText(Path.Combine(root.FullName, "High", "Other.cs"), "using Broker.Low;\nnamespace Broker.High;\npublic sealed class Other { Thing? _t; int Low => 1; }\n");
            var graph = FolderGraph(root.FullName);
            Assert.Equal(new[] { "High" }, graph["Low"].ToArray());
            Assert.Equal(new[] { "Low" }, graph["High"].ToArray());
            Assert.Single(Cycles(graph));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_cycle_finder_sees_a_cycle()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"],
        };
        var cycle = Assert.Single(Cycles(graph));
        Assert.Equal(["A", "B", "C"], cycle);
    }

    private static string LibraryDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Broker.Actors");
            if (File.Exists(Path.Combine(candidate, "Broker.Actors.csproj"))) return candidate;
        }
        throw new InvalidOperationException("Broker.Actors not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"^\s*namespace\s+[^\n;{]+", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"\bBroker\.([A-Z][A-Za-z0-9]*)")]
    private static partial Regex BrokerReference();

    /// <summary><c>Folder.Type</c> not preceded by a dot or a name: a qualified reference from inside <c>Broker</c>.</summary>
    [GeneratedRegex(@"(?<![\w.])([A-Z][A-Za-z0-9]*)\.([A-Z][A-Za-z0-9]*)")]
    private static partial Regex ShortReference();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+([A-Z][A-Za-z0-9]*)")]
    private static partial Regex TypeDeclaration();

    private static Dictionary<string, HashSet<string>> FolderGraph(string root)
    {
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(p => (Path: p, Rel: Path.GetRelativePath(root, p)))
            .Where(f => !f.Rel.StartsWith("bin" + Path.DirectorySeparatorChar) && !f.Rel.StartsWith("obj" + Path.DirectorySeparatorChar))
            .Select(f => (f.Path, Folder: f.Rel.Contains(Path.DirectorySeparatorChar) ? f.Rel[..f.Rel.IndexOf(Path.DirectorySeparatorChar)] : "(root)"))
            .ToList();
        var graph = files.Select(f => f.Folder).Distinct().ToDictionary(f => f, _ => new HashSet<string>());
        var texts = files.Select(f => (f.Folder, Text: NamespaceLine().Replace(CommentsAndStrings().Replace(File.ReadAllText(f.Path), " "), " "))).ToList();
        var types = graph.Keys.ToDictionary(f => f, _ => new HashSet<string>());
        foreach (var (folder, text) in texts)
            foreach (Match m in TypeDeclaration().Matches(text)) types[folder].Add(m.Groups[1].Value);
        foreach (var (folder, text) in texts)
        {
            foreach (Match m in BrokerReference().Matches(text))
            {
                var target = m.Groups[1].Value;
                if (target != folder && graph.ContainsKey(target)) graph[folder].Add(target);
            }
            foreach (Match m in ShortReference().Matches(text))
            {
                var target = m.Groups[1].Value;
                if (target != folder && types.TryGetValue(target, out var declared) && declared.Contains(m.Groups[2].Value)) graph[folder].Add(target);
            }
        }
        return graph;
    }

    private static string Edges(Dictionary<string, HashSet<string>> graph) =>
        string.Join(Environment.NewLine, graph.OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} -> {string.Join(", ", g.Value.Order(StringComparer.Ordinal))}"));

    /// <summary>Strongly connected components of more than one folder (Tarjan), each sorted.</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v, []).Order(StringComparer.Ordinal))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) cycles.Add(component.Order(StringComparer.Ordinal).ToList());
        }
        foreach (var v in graph.Keys.Order(StringComparer.Ordinal)) if (!index.ContainsKey(v)) Visit(v);
        return cycles;
    }
}
