using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace AutoGrad.CodeAnalysis.Helpers
{
    /// <summary>
    /// An immutable array with value equality, so that models holding it compare structurally and the
    /// incremental pipeline can cache them.
    /// </summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        public static readonly EquatableArray<T> Empty = new(ImmutableArray<T>.Empty);

        private readonly T[]? _items;

        public EquatableArray(ImmutableArray<T> items)
        {
            _items = items.IsDefaultOrEmpty ? null : System.Linq.Enumerable.ToArray(items);
        }

        public EquatableArray(IEnumerable<T> items)
        {
            var array = new List<T>(items).ToArray();
            _items = array.Length == 0 ? null : array;
        }

        public int Count => _items?.Length ?? 0;

        public bool IsEmpty => Count == 0;

        public T this[int index] => _items is null ? throw new IndexOutOfRangeException() : _items[index];

        public bool Equals(EquatableArray<T> other)
        {
            var a = _items ?? Array.Empty<T>();
            var b = other._items ?? Array.Empty<T>();
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(a[i], b[i])) return false;
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            if (_items is null) return 0;
            unchecked
            {
                int hash = 17;
                foreach (var item in _items)
                {
                    hash = (hash * 31) + (item is null ? 0 : EqualityComparer<T>.Default.GetHashCode(item));
                }

                return hash;
            }
        }

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    internal static class EquatableArray
    {
        public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
            where T : IEquatable<T> => new(items);

        public static EquatableArray<T> Create<T>(params T[] items)
            where T : IEquatable<T> => new(items);
    }
}
