using System;

namespace AutoGrad
{
    /// <summary>
    /// Declares the method it marks as the derivative of another static method <c>F</c>: wherever
    /// differentiable code calls <c>F</c>, the generated code calls this method in the reverse pass instead
    /// of differentiating <c>F</c>'s body. The marked method must be static and have exactly the signature the
    /// generator would give <c>FBackward</c>: <c>F</c>'s parameters; then, in the same order, <c>out T dX</c>
    /// for each floating-point parameter and a <c>Span&lt;T&gt; dW</c> buffer (added into) for each array or
    /// span parameter, except those marked <see cref="NoGradAttribute">[NoGrad]</see>; then <c>T seed</c>.
    /// It returns <c>F</c>'s value and sets each gradient times <c>seed</c>.
    /// </summary>
    /// <remarks>
    /// Use it for a method whose source the generator cannot see (a numerical library), or for one with
    /// branches or iterations that should be treated as one smooth function. Check it with
    /// <see cref="GradientCheck"/>.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
    public sealed class DerivativeOfAttribute : Attribute
    {
        /// <summary>Declares the derivative of method <paramref name="methodName"/> of the same type.</summary>
        /// <param name="methodName">The method's name; write <c>nameof(F)</c>.</param>
        public DerivativeOfAttribute(string methodName)
        {
            MethodName = methodName;
        }

        /// <summary>Declares the derivative of method <paramref name="methodName"/> of type <paramref name="type"/>.</summary>
        /// <param name="type">The type that declares the method, which may be in another assembly.</param>
        /// <param name="methodName">The method's name; write <c>nameof(T.F)</c>.</param>
        public DerivativeOfAttribute(Type type, string methodName)
        {
            Type = type;
            MethodName = methodName;
        }

        /// <summary>The type that declares the method, or null for the type of the marked method.</summary>
        public Type? Type { get; }

        /// <summary>The name of the method this is the derivative of.</summary>
        public string MethodName { get; }
    }
}
