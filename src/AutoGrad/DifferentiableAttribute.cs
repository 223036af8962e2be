using System;

namespace AutoGrad
{
    /// <summary>
    /// Marks a static method returning <see cref="double"/> or <see cref="float"/> for reverse-mode
    /// differentiation. The AutoGrad generator adds a method named after it with the suffix
    /// <c>Backward</c> to the same partial type: it takes the original parameters, then one <c>out</c>
    /// gradient per differentiable parameter, then an upstream gradient <c>seed</c>, and returns the
    /// primal value.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class DifferentiableAttribute : Attribute
    {
    }

    /// <summary>
    /// Marks a parameter of a <see cref="DifferentiableAttribute">[Differentiable]</see> method as a
    /// constant: no gradient is produced for it. Integer and <see cref="bool"/> parameters are never
    /// differentiated, with or without this attribute.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class NoGradAttribute : Attribute
    {
    }
}
