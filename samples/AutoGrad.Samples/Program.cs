using System;
namespace AutoGrad.Samples
{
    public static class Program
    {
        public static void Main()
        {
            double f = Circuits.CircuitBackward(-2, 5, -4, out double dx, out double dy, out double dz);
            Console.WriteLine($"{f} {dx} {dy} {dz}");
        }
    }
}
