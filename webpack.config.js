/** Builds the tab (src/tab) into dist/tab, served by the app at /tab. */
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const TerserPlugin = require('terser-webpack-plugin');

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    entry: './src/tab/main.tsx',
    output: { path: path.resolve(__dirname, 'dist/tab'), filename: '[name].[contenthash].js', publicPath: '/tab/', clean: true },
    resolve: { extensions: ['.tsx', '.ts', '.js'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2020', transform: { react: { runtime: 'automatic' } } } },
          },
        },
      ],
    },
    plugins: [new HtmlWebpackPlugin({ template: './src/tab/index.html' })],
    devtool: production ? false : 'eval-cheap-module-source-map',
    cache: { type: 'filesystem', cacheDirectory: path.resolve(__dirname, 'node_modules/.cache/webpack') },
    optimization: { minimizer: [new TerserPlugin({ minify: TerserPlugin.swcMinify })] },
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
