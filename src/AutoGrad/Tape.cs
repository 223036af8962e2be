using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace AutoGrad
{
    /// <summary>
    /// A last-in, first-out stack of values for generated reverse passes: the forward pass pushes values
    /// that are about to be overwritten (loop-carried scalars, rewritten array elements, branch decisions,
    /// trip counts) and the reverse pass pops them back in reverse order.
    /// </summary>
    /// <remarks>
    /// It starts in a caller-provided buffer (typically <c>stackalloc</c>) and, when that is full, moves to
    /// arrays rented from <see cref="ArrayPool{T}.Shared"/>, so a call allocates nothing on the managed heap
    /// in the steady state. Call <see cref="Dispose"/> to return the rented array. Not thread-safe; one tape
    /// belongs to one call.
    /// </remarks>
    /// <typeparam name="T">An unmanaged value type: <see cref="double"/>, <see cref="float"/>, <see cref="int"/>, <see cref="bool"/>.</typeparam>
    public ref struct Tape<T>
        where T : unmanaged
    {
        private Span<T> _items;
        private T[]? _rented;
        private int _count;

        /// <summary>Creates a tape that uses <paramref name="initialBuffer"/> until it is full.</summary>
        /// <param name="initialBuffer">Storage for the first values; may be empty.</param>
        public Tape(Span<T> initialBuffer)
        {
            _items = initialBuffer;
            _rented = null;
            _count = 0;
        }

        /// <summary>How many values are on the tape.</summary>
        public readonly int Count => _count;

        /// <summary>The bytes the values on the tape take: <see cref="Count"/> times the size of <typeparamref name="T"/>.</summary>
        public readonly int Bytes => _count * Unsafe.SizeOf<T>();

        /// <summary>Pushes <paramref name="value"/>.</summary>
        /// <param name="value">The value to save.</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(T value)
        {
            int count = _count;
            if ((uint)count < (uint)_items.Length)
            {
                _items[count] = value;
                _count = count + 1;
            }
            else
            {
                // By value, not by reference: the caller's tape stays a candidate for registers.
                this = Grown(this, value);
            }
        }

        /// <summary>Removes and returns the value pushed last.</summary>
        /// <returns>The value.</returns>
        /// <exception cref="InvalidOperationException">The tape is empty.</exception>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Pop()
        {
            int count = _count - 1;
            if (count < 0) ThrowEmpty();
            _count = count;
            return _items[count];
        }

        /// <summary>Pushes every value of <paramref name="values"/>, first to last.</summary>
        /// <param name="values">The values to save, such as an array's contents before a call reads it.</param>
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
            return _items[_count - 1];
        }

        /// <summary>Returns any rented array to the pool. The tape is empty afterwards.</summary>
        public void Dispose()
        {
            var rented = _rented;
            _rented = null;
            _items = default;
            _count = 0;
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Tape<T> Grown(Tape<T> tape, T value)
        {
            int size = Math.Max(tape._items.Length * 2, 64);
            var larger = ArrayPool<T>.Shared.Rent(size);
            tape._items.Slice(0, tape._count).CopyTo(larger);
            if (tape._rented is not null) ArrayPool<T>.Shared.Return(tape._rented);
            tape._rented = larger;
            tape._items = larger;
            tape._items[tape._count] = value;
            tape._count++;
            return tape;
        }

        private static void ThrowEmpty() => throw new InvalidOperationException("The tape is empty: more values were popped than pushed.");
    }
}
