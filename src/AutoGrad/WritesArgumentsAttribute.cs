using System;

namespace AutoGrad
{
    /// <summary>
    /// Put by the generator on the Backward of a <see cref="DifferentiableAttribute">[Differentiable]</see>
    /// method that writes the elements of some of its array or span parameters (works in place). A caller that
    /// differentiates through this Backward rather than inlining the method (recursion, another assembly) reads
    /// it to know that the array it passes changes, which it cannot follow.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class WritesArgumentsAttribute : Attribute
    {
        /// <summary>Creates the attribute for the written parameters, by name.</summary>
        public WritesArgumentsAttribute(params string[] parameters)
        {
            Parameters = parameters;
        }

        /// <summary>The names of the parameters whose elements the method writes.</summary>
        public string[] Parameters { get; }
    }
}
