using System.Collections;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>
/// The objects of one resource, in a stable order: a continue token is a position in it.
/// Either materialized (a list, sorted by namespace and name as etcd returns them; writes
/// replace entries in place, creates append, deletes leave a hole, so positions never move) or
/// lazy (a factory enumerated afresh per list, for synthetic clusters of any size: only the
/// objects of the page being written exist at once). A lazy store keeps the enumerators of
/// paged lists in progress, so following continue tokens costs one pass over the data, not one
/// per page; it becomes materialized on its first write.
/// </summary>
public sealed class ResourceStore
{
    private const int MaxParkedCursors = 32;

    private readonly object _lock = new();
    private List<object?>? _items;
    private Dictionary<(string Namespace, string Name), int>? _index;
    private Func<IEnumerable>? _factory;
    private readonly LinkedList<Cursor> _parked = new();

    public ResourceStore(ResourceType type, IEnumerable<object> items)
    {
        Type = type;
        _items = items.OrderBy(ObjectAccess.Namespace, StringComparer.Ordinal).ThenBy(ObjectAccess.Name, StringComparer.Ordinal).Cast<object?>().ToList();
        BuildIndex();
    }

    private ResourceStore(ResourceType type, Func<IEnumerable> factory)
    {
        Type = type;
        _factory = factory;
    }

    /// <summary>A store whose items are produced by <paramref name="factory"/> each time they are listed (same items, same order, every call).</summary>
    public static ResourceStore Lazy(ResourceType type, Func<IEnumerable> factory) => new(type, factory);

    public ResourceType Type { get; }

    public bool IsLazy { get { lock (_lock) return _factory is not null; } }

    /// <summary>Items now (enumerates a lazy store once).</summary>
    public int Count
    {
        get
        {
            lock (_lock) if (_items is not null) return _index!.Count;
            var n = 0;
            foreach (var _ in Enumerate()) n++;
            return n;
        }
    }

    /// <summary>Items at or after <paramref name="position"/>; null for a lazy store (counting would build them all).</summary>
    public long? RemainingFrom(long position)
    {
        lock (_lock)
        {
            if (_items is null) return null;
            long n = 0;
            for (var i = (int)Math.Min(position, _items.Count); i < _items.Count; i++)
                if (_items[i] is not null) n++;
            return n;
        }
    }

    /// <summary>Every item, in order.</summary>
    public IEnumerable<object> Enumerate()
    {
        using var cursor = Open(0);
        while (cursor.TryNext(out _, out var item)) yield return item;
    }

    public object? Find(string? @namespace, string name)
    {
        lock (_lock)
        {
            if (_items is not null)
                return _index!.TryGetValue((@namespace ?? "", name), out var i) ? _items[i] : null;
        }
        foreach (var item in Enumerate())
            if (ObjectAccess.Name(item) == name && ObjectAccess.Namespace(item) == (@namespace ?? "")) return item;
        return null;
    }

    /// <summary>Adds or replaces an object (materializing a lazy store first).</summary>
    public void Put(object item)
    {
        Materialize();
        lock (_lock)
        {
            var key = (ObjectAccess.Namespace(item), ObjectAccess.Name(item));
            if (_index!.TryGetValue(key, out var i)) _items![i] = item;
            else
            {
                _items!.Add(item);
                _index[key] = _items.Count - 1;
            }
        }
    }

    public bool Remove(string? @namespace, string name)
    {
        Materialize();
        lock (_lock)
        {
            if (!_index!.Remove((@namespace ?? "", name), out var i)) return false;
            _items![i] = null;
            return true;
        }
    }

    /// <summary>Sorts a materialized store by namespace and name (etcd key order) and closes the holes of deleted items; moves positions, so only before serving.</summary>
    internal void Sort()
    {
        lock (_lock)
        {
            if (_items is null) return;
            _items = _items.Where(i => i is not null)
                .OrderBy(i => ObjectAccess.Namespace(i!), StringComparer.Ordinal).ThenBy(i => ObjectAccess.Name(i!), StringComparer.Ordinal).ToList();
            BuildIndex();
        }
    }

    /// <summary>Turns a lazy store into a list (for writes).</summary>
    public void Materialize()
    {
        Func<IEnumerable>? factory;
        lock (_lock) factory = _factory;
        if (factory is null) return;
        var items = factory().Cast<object?>().ToList();
        lock (_lock)
        {
            if (_factory is null) return;
            _items = items;
            _factory = null;
            BuildIndex();
            foreach (var c in _parked) c.Dispose();
            _parked.Clear();
        }
    }

    private void BuildIndex()
    {
        _index = new Dictionary<(string, string), int>();
        for (var i = 0; i < _items!.Count; i++)
            if (_items[i] is { } item) _index[(ObjectAccess.Namespace(item), ObjectAccess.Name(item))] = i;
    }

    /// <summary>A cursor at <paramref name="position"/>: a parked one when a paged list left one there, else a new one.</summary>
    public Cursor Open(long position)
    {
        lock (_lock)
        {
            if (_items is not null) return new Cursor(this, position, null);
            for (var node = _parked.First; node is not null; node = node.Next)
            {
                if (node.Value.Position != position) continue;
                _parked.Remove(node);
                return node.Value;
            }
        }
        var enumerator = _factory!().GetEnumerator();
        var cursor = new Cursor(this, 0, enumerator);
        while (cursor.Position < position && cursor.TryNext(out _, out _)) { }
        return cursor;
    }

    /// <summary>Keeps a lazy cursor for the next page of the same list; a materialized one needs nothing kept.</summary>
    public void Park(Cursor cursor)
    {
        if (cursor.Enumerator is null) return;
        lock (_lock)
        {
            if (_factory is null) { cursor.Dispose(); return; }
            _parked.AddFirst(cursor);
            while (_parked.Count > MaxParkedCursors)
            {
                _parked.Last!.Value.Dispose();
                _parked.RemoveLast();
            }
        }
    }

    /// <summary>Reads a store forward; Position is the position of the next item.</summary>
    public sealed class Cursor : IDisposable
    {
        private readonly ResourceStore _store;
        private (long Position, object Item)? _peeked;

        internal Cursor(ResourceStore store, long position, IEnumerator? enumerator)
        {
            _store = store;
            Position = position;
            Enumerator = enumerator;
        }

        internal IEnumerator? Enumerator { get; private set; }
        public long Position { get; private set; }

        public bool TryNext(out long position, out object item)
        {
            if (_peeked is { } p)
            {
                _peeked = null;
                (position, item) = p;
                Position = position + 1;
                return true;
            }
            return Read(out position, out item);
        }

        /// <summary>True when another item follows; it is kept for the next <see cref="TryNext"/>.</summary>
        public bool HasMore()
        {
            if (_peeked is not null) return true;
            if (!Read(out var position, out var item)) return false;
            _peeked = (position, item);
            Position = position;
            return true;
        }

        private bool Read(out long position, out object item)
        {
            if (Enumerator is not null)
            {
                if (Enumerator.MoveNext())
                {
                    position = Position;
                    item = Enumerator.Current!;
                    Position++;
                    return true;
                }
                position = Position;
                item = null!;
                return false;
            }
            lock (_store._lock)
            {
                var items = _store._items!;
                while (Position < items.Count)
                {
                    var candidate = items[(int)Position];
                    position = Position;
                    Position++;
                    if (candidate is not null)
                    {
                        item = candidate;
                        return true;
                    }
                }
            }
            position = Position;
            item = null!;
            return false;
        }

        public void Dispose()
        {
            (Enumerator as IDisposable)?.Dispose();
            Enumerator = null;
        }
    }
}
