using System.Collections.Generic;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Rectangular matrix parameters (<c>double[,] W</c>): the names of the flat row-major view through which the
    /// body reads them (<see cref="MatrixView"/>), chosen once in the parse stage so that the parser and the
    /// differentiate stage agree on them.
    /// </summary>
    internal static class MatrixViews
    {
        /// <summary>
        /// Gives each matrix parameter of <paramref name="parameters"/> its view names (<c>WFlat</c>, <c>WRows</c>,
        /// <c>WCols</c>, <c>dWFlat</c>), fresh with respect to <paramref name="reserved"/>, to which they are added.
        /// </summary>
        public static void Name(List<ParameterModel> parameters, HashSet<string> reserved)
        {
            var names = new NameGenerator(reserved);
            for (int i = 0; i < parameters.Count; i++)
            {
                var parameter = parameters[i];
                if (parameter.Shape != ArrayShape.Matrix) continue;
                string flat = names.Fresh(parameter.Name + "Flat");
                var view = new MatrixView(
                    parameter.Name,
                    parameter.GradientName,
                    flat,
                    names.Fresh(parameter.Name + "Rows"),
                    names.Fresh(parameter.Name + "Cols"),
                    parameter.GradientName is null ? null : names.Fresh(NameGenerator.GradientName(flat)));
                reserved.Add(view.Flat);
                reserved.Add(view.Rows);
                reserved.Add(view.Cols);
                if (view.GradientFlat is { } gradient) reserved.Add(gradient);
                parameters[i] = parameter with { Matrix = view };
            }
        }

        /// <summary>
        /// The parameters as the differentiate stage sees the body: each matrix parameter replaced by its flat view (an
        /// array, with the flat gradient view as its gradient) and the two ints holding its shape. A parameter that
        /// stays a matrix keeps its <see cref="ParameterModel.Matrix"/>, so the Backward's prologue can be written.
        /// </summary>
        public static EquatableArray<ParameterModel> Flatten(EquatableArray<ParameterModel> parameters)
        {
            var result = new List<ParameterModel>();
            foreach (var parameter in parameters)
            {
                if (parameter.Matrix is not { } view)
                {
                    result.Add(parameter);
                    continue;
                }

                result.Add(new ParameterModel(view.Flat, parameter.Type, view.GradientFlat, ArrayShape.Matrix, view));
                result.Add(new ParameterModel(view.Rows, ScalarKind.Int32, null));
                result.Add(new ParameterModel(view.Cols, ScalarKind.Int32, null));
            }

            return result.ToEquatableArray();
        }
    }
}
