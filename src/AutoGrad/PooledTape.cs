using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace AutoGrad
{
    /// <summary>
    /// The tape of a generated reverse pass over a type parameter (generic math, <c>F&lt;T&gt;</c>): the same
    /// last-in, first-out stack as <see cref="Tape{T}"/>, for any <typeparamref name="T"/>. A generic Backward
    /// cannot <c>stackalloc</c> a <typeparamref name="T"/> that is not known to be unmanaged, so this tape starts
    /// empty and keeps its values in arrays rented from <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    /// <remarks>Call <see cref="Dispose"/> to return the rented array. Not thread-safe; one tape belongs to one call.</remarks>
    /// <typeparam name="T">The type of the values: the Backward's type parameter.</typeparam>
    public ref struct PooledTape<T>
    {
        /// <summary>Whether a returned array must be cleared, so that the pool does not keep objects alive.</summary>
#if NETSTANDARD2_0
        private static readonly bool ClearOnReturn = !typeof(T).IsPrimitive;
#else
        private static readonly bool ClearOnReturn = RuntimeHelpers.IsReferenceOrContainsReferences<T>();
#endif

        private T[]? _items;
        private int _count;

        /// <summary>Creates an empty tape that rents room for <paramref name="capacity"/> values on its first push.</summary>
        /// <param name="capacity">How many values to make room for at first; 0 for the default.</param>
        public PooledTape(int capacity)
        {
            _items = capacity > 0 ? ArrayPool<T>.Shared.Rent(capacity) : null;
            _count = 0;
        }

        /// <summary>How many values are on the tape.</summary>
        public readonly int Count => _count;

        /// <summary>Pushes <paramref name="value"/>.</summary>
        /// <param name="value">The value to save.</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(T value)
        {
            var items = _items;
            if (items is not null && (uint)_count < (uint)items.Length)
            {
                items[_count++] = value;
            }
            else
            {
                Grow(value);
            }
        }

        /// <summary>Removes and returns the value pushed last.</summary>
        /// <returns>The value.</returns>
        /// <exception cref="InvalidOperationException">The tape is empty.</exception>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Pop()
        {
            if (_count == 0) ThrowEmpty();
            return _items![--_count];
        }

        /// <summary>Pushes every value of <paramref name="values"/>, first to last.</summary>
        /// <param name="values">The values to save.</param>
        public void PushAll(ReadOnlySpan<T> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                Push(values[i]);
            }
        }

        /// <summary>Pops into <paramref name="destination"/> the values a <see cref="PushAll"/> of the same length pushed.</summary>
        /// <param name="destination">Receives the values in their original order.</param>
        /// <exception cref="InvalidOperationException">The tape holds fewer values.</exception>
        public void PopAll(Span<T> destination)
        {
            for (int i = destination.Length - 1; i >= 0; i--)
            {
                destination[i] = Pop();
            }
        }

        /// <summary>Returns the value pushed last without removing it.</summary>
        /// <returns>The value.</returns>
        /// <exception cref="InvalidOperationException">The tape is empty.</exception>
        public readonly T Peek()
        {
            if (_count == 0) ThrowEmpty();
            return _items![_count - 1];
        }

        /// <summary>Returns the rented array to the pool. The tape is empty afterwards.</summary>
        public void Dispose()
        {
            var rented = _items;
            _items = null;
            _count = 0;
            if (rented is not null) ArrayPool<T>.Shared.Return(rented, clearArray: ClearOnReturn);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Grow(T value)
        {
            var old = _items;
            var larger = ArrayPool<T>.Shared.Rent(Math.Max((old?.Length ?? 0) * 2, 64));
            if (old is not null)
            {
                Array.Copy(old, larger, _count);
                ArrayPool<T>.Shared.Return(old, clearArray: ClearOnReturn);
            }

            _items = larger;
            _items[_count++] = value;
        }

        private static void ThrowEmpty() => throw new InvalidOperationException("The tape is empty: more values were popped than pushed.");
    }
}
