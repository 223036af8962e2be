using System.Collections.Generic;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Matrix parameters (<c>double[,] W</c>, jagged <c>double[][] J</c>): the names of the flat row-major view through which the
    /// body reads them (<see cref="MatrixView"/>), chosen once in the parse stage so that the parser and the
    /// differentiate stage agree on them.
    /// </summary>
    internal static class MatrixViews
    {
        /// <summary>
        /// Gives each matrix and jagged array parameter of <paramref name="parameters"/> its view names (<c>WFlat</c>,
        /// <c>WRows</c>, <c>WCols</c> or <c>WStarts</c>, <c>dWFlat</c>), fresh with respect to <paramref name="reserved"/>, to which they are added.
        /// </summary>
        public static void Name(List<ParameterModel> parameters, HashSet<string> reserved)
        {
            var names = new NameGenerator(reserved);
            for (int i = 0; i < parameters.Count; i++)
            {
                var parameter = parameters[i];
                if (parameter.Shape is not (ArrayShape.Matrix or ArrayShape.Jagged)) continue;
                bool jagged = parameter.Shape == ArrayShape.Jagged;
                string flat = names.Fresh(parameter.Name + "Flat");
                var view = new MatrixView(
                    parameter.Name,
                    parameter.GradientName,
                    flat,
                    names.Fresh(parameter.Name + "Rows"),
                    jagged ? null : names.Fresh(parameter.Name + "Cols"),
                    parameter.GradientName is null ? null : names.Fresh(NameGenerator.GradientName(flat)),
                    jagged ? names.Fresh(parameter.Name + "Starts") : null);
                reserved.Add(view.Flat);
                reserved.Add(view.Rows);
                if (view.Cols is { } cols) reserved.Add(cols);
                if (view.Starts is { } starts) reserved.Add(starts);
                if (view.GradientFlat is { } gradient) reserved.Add(gradient);
                parameters[i] = parameter with { Matrix = view };
            }
        }

        /// <summary>
        /// The parameters as the differentiate stage sees the body: each matrix parameter replaced by its flat view (an
        /// array, with the flat gradient view as its gradient) and the two ints holding its shape; a jagged array by its
        /// flat view, its row count and the int array of row starts. A parameter that
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

                result.Add(new ParameterModel(view.Flat, parameter.Type, view.GradientFlat, parameter.Shape, Matrix: view));
                result.Add(new ParameterModel(view.Rows, ScalarKind.Int32, null));
                if (view.Cols is { } cols) result.Add(new ParameterModel(cols, ScalarKind.Int32, null));
                if (view.Starts is { } starts) result.Add(new ParameterModel(starts, ScalarKind.Int32, null, ArrayShape.Array));
            }

            return result.ToEquatableArray();
        }
    }
}
